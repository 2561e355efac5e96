// The job's log as the runner keeps it: every line and annotation masked
// before it is stored or shown.
import type { JobState, RunEnvironment } from './run-model.ts';
import type { Annotation } from './workflow-commands.ts';

export function record(run: RunEnvironment, job: JobState, line: string): void {
  const masked = run.masker.mask(line);
  job.log.push(masked);
  run.onLine?.(job.id, masked);
}

export function annotate(
  run: RunEnvironment,
  job: JobState,
  level: Annotation['level'],
  message: string,
  properties: Annotation['properties'] = {},
): void {
  const masked = run.masker.mask(message);
  job.annotations.push({ level, message: masked, properties });
  record(run, job, `##[${level}]${masked}`);
}

/** The group header the runner prints before a step. */
export function recordStepHeader(run: RunEnvironment, job: JobState, name: string): void {
  record(run, job, `##[group]${name}`);
  record(run, job, '##[endgroup]');
}
