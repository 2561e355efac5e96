// One process of a step (a `run:` script, a node action's main or post):
// its command files, its environment, its workflow commands, its timeout.
import { collectCommandFiles, createCommandFiles } from './command-files.ts';
import { annotate } from './job-log.ts';
import { processEnv } from './process-env.ts';
import { runProcess } from './process.ts';
import type { Evaluation, JobState, RunEnvironment, StepScope } from './run-model.ts';
import type { StepModel } from './step-model.ts';
import { evaluateToken } from './template.ts';
import { outputLineHandler } from './workflow-command-handler.ts';

export interface StepProcess {
  /** What the runner calls it in its errors. */
  kind: 'script' | 'action';
  command: string;
  args: string[];
  cwd: string;
  /** GITHUB_ACTION. */
  stepId: string;
  /** The `env` context the step sees. */
  envContext: Record<string, string>;
  /** Variables over all the others (INPUT_*, STATE_*, ...). */
  extra?: Record<string, string>;
  timeoutMs?: number;
}

export interface StepProcessResult {
  /** Exited with 0 within its time. */
  succeeded: boolean;
  outputs: Record<string, string>;
  state: Record<string, string>;
}

export async function runStepProcess(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  spec: StepProcess,
): Promise<StepProcessResult> {
  const files = await createCommandFiles(job);
  const env = processEnv(run, job, scope, spec.envContext, files, spec.stepId, spec.extra);
  const { code, timedOut } = await runProcess(
    { command: spec.command, args: spec.args, cwd: spec.cwd, env, timeoutMs: spec.timeoutMs },
    outputLineHandler(run, job),
  );
  const { outputs, state } = await collectCommandFiles(run, job, files);
  if (timedOut) {
    annotate(run, job, 'error', `The ${spec.kind === 'script' ? 'step' : 'action'} has timed out (timeout-minutes).`);
  } else if (code !== 0) {
    annotate(
      run,
      job,
      'error',
      `${spec.kind === 'script' ? 'Process' : 'Node action'} completed with exit code ${code}.`,
    );
  }
  return { succeeded: code === 0 && !timedOut, outputs, state };
}

/** Milliseconds a process of this step may run: the step's timeout-minutes, within the job's. */
export async function processTimeout(
  job: JobState,
  step: StepModel | undefined,
  evaluation: Evaluation,
): Promise<number | undefined> {
  let limit: number | undefined;
  if (step?.timeoutMinutes) {
    const minutes = Number(await evaluateToken(step.timeoutMinutes, evaluation));
    if (Number.isFinite(minutes) && minutes > 0) limit = minutes * 60_000;
  }
  if (job.deadline !== undefined) {
    const left = Math.max(0, job.deadline - Date.now());
    limit = limit === undefined ? left : Math.min(limit, left);
  }
  return limit;
}
