// Runs the jobs of a workflow, or of a called workflow, one after another
// in `needs` order: a job of steps on the runner (run-job.ts), a job that
// calls a reusable workflow by running that workflow's jobs
// (called-workflow.ts). Every job's result is recorded in the run's
// result, a called workflow's jobs as `caller/job`.
import { errorMessage } from '@build-release-run/contract';
import { needsContext } from './contexts.ts';
import { runCalledWorkflow } from './called-workflow.ts';
import type { Contexts } from './expressions.ts';
import { type JobCall, type JobResult, jobConditionHolds, runJob } from './run-job.ts';
import type { CallJob, JobModel } from './workflow-file.ts';

export async function runJobs(call: JobCall, jobs: readonly JobModel[]): Promise<Record<string, JobResult>> {
  const results: Record<string, JobResult> = {};
  for (const job of jobs) {
    const result = job.kind === 'steps' ? await runJob(call, job, results) : await runCallJob(call, job, results);
    results[job.id] = result;
    call.record(`${call.prefix}${job.id}`, result);
  }
  return results;
}

function callJobResult(result: JobResult['result'], outputs: Record<string, string>, log: string[]): JobResult {
  return { result, outputs, steps: [], stepsById: {}, log, summary: '', annotations: [], workspace: '' };
}

/** A job that calls a reusable workflow: its `if:`, then the called workflow's jobs; its outputs are the workflow's. */
async function runCallJob(
  call: JobCall,
  job: CallJob,
  results: Readonly<Record<string, JobResult>>,
): Promise<JobResult> {
  // `with:` and `secrets:` see github, inputs, vars, needs (and secrets); no env, runner or steps.
  // A calling job has no token of its own: the run's secrets hold none.
  const contexts: Contexts = {
    github: call.contexts.github,
    inputs: call.contexts.inputs,
    vars: call.contexts.vars,
    secrets: call.contexts.secrets,
    needs: needsContext(job, results),
    strategy: {},
    matrix: {},
  };
  try {
    if (!(await jobConditionHolds(job, contexts, results))) {
      return callJobResult('skipped', {}, [`Job '${job.id}' skipped (if: ${job.condition})`]);
    }
  } catch (error) {
    return callJobResult('failure', {}, [
      call.run.masker.mask(`##[error]Job '${job.id}' condition: ${errorMessage(error)}`),
    ]);
  }
  const { result, outputs, log } = await runCalledWorkflow(call, job, contexts, runJobs);
  return callJobResult(result, outputs, log);
}
