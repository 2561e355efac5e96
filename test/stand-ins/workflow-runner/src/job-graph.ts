// Which jobs run, and in what order: every job after all it needs; a
// selection must bring its needs along; a `uses:` the runner cannot run is
// refused before any job starts.
import { ConfigurationError } from '@build-release-run/contract';
import { unsupportedUses } from './action-download.ts';
import { resolveActionReference } from './action-reference.ts';
import type { JobModel } from './workflow-file.ts';

/** Jobs in an order where every job comes after all it needs. */
export function orderJobs(jobs: readonly JobModel[]): JobModel[] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const ordered: JobModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (job: JobModel, chain: string[]): void => {
    const seen = state.get(job.id);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new ConfigurationError(`Jobs need each other in a cycle: ${[...chain, job.id].join(' -> ')}.`);
    state.set(job.id, 'visiting');
    for (const need of job.needs) {
      const needed = byId.get(need);
      if (!needed)
        throw new ConfigurationError(`Job '${job.id}' needs '${need}', which is not a job of this workflow.`);
      visit(needed, [...chain, job.id]);
    }
    state.set(job.id, 'done');
    ordered.push(job);
  };
  for (const job of jobs) visit(job, []);
  return ordered;
}

/** The ordered jobs to run: all of them, or those wanted (each with its needs wanted too). */
export function selectJobs(ordered: JobModel[], wanted: string[] | undefined): JobModel[] {
  if (wanted === undefined) return ordered;
  const ids = new Set(ordered.map((j) => j.id));
  const unknown = wanted.filter((id) => !ids.has(id));
  if (unknown.length > 0) {
    throw new ConfigurationError(`No job ${unknown.join(', ')} in this workflow; it has ${[...ids].join(', ')}.`);
  }
  const selected = ordered.filter((j) => wanted.includes(j.id));
  for (const job of selected) {
    const missing = job.needs.filter((n) => !wanted.includes(n));
    if (missing.length > 0) {
      throw new ConfigurationError(`Job '${job.id}' needs ${missing.join(', ')}; select those jobs too.`);
    }
  }
  return selected;
}

/** Refuses, before anything runs, jobs that use an action the runner cannot run. */
export function checkUses(jobs: readonly JobModel[], actionRepositories: Readonly<Record<string, string>>): void {
  for (const job of jobs) {
    if (job.kind !== 'steps') continue;
    for (const step of job.steps) {
      if (step.uses && !resolveActionReference(step.uses, actionRepositories)) throw unsupportedUses(step.uses);
    }
  }
}
