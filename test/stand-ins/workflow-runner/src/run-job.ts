// Runs one job: its folders, its `if:`, its environment's secrets and
// variables, `env:`, `defaults.run` and `timeout-minutes`, its steps and
// post steps, then its outputs.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '@build-release-run/contract';
import { commandFilesDir } from './command-files.ts';
import { type Environments, type WorkflowContexts, environmentName, jobContexts } from './contexts.ts';
import { type Contexts, type Json, coerceToString, evaluateCondition } from './expressions.ts';
import type { Masker } from './masks.ts';
import { runPostSteps } from './node-action.ts';
import { type JobFolders, runnerVariables } from './process-env.ts';
import { type JobState, type RunEnvironment, type StepResult, type StepScope, scopeStatus } from './run-model.ts';
import { runSteps } from './run-steps.ts';
import { type RunnerService, jobVariables } from './services.ts';
import { evaluateString, evaluateStringMap, evaluateToken } from './template.ts';
import type { Annotation } from './workflow-commands.ts';
import type { CalledWorkflows } from './called-workflow.ts';
import type { JobToken, JobTokenSource } from './job-token.ts';
import {
  type DefaultPermissions,
  type TokenPermissions,
  describePermissions,
  grantedPermissions,
} from './permissions.ts';
import type { JobModel, StepsJob } from './workflow-file.ts';

export type JobConclusion = 'success' | 'failure' | 'skipped';

export interface JobResult {
  result: JobConclusion;
  outputs: Record<string, string>;
  /** Steps in order; `stepsById` indexes them by id. */
  steps: StepResult[];
  stepsById: Record<string, StepResult>;
  log: string[];
  /** The job's step summaries, joined. */
  summary: string;
  annotations: Annotation[];
  workspace: string;
  /** The job's `environment:` name, evaluated, when it has one. */
  environment?: string;
}

/** What a job runs with, by concern. */
export interface JobCall {
  run: RunEnvironment;
  contexts: WorkflowContexts;
  environments: Environments;
  services: readonly RunnerService[];
  /** Where each job's GITHUB_TOKEN comes from, and what a job without `permissions:` is granted. */
  tokens: { source: JobTokenSource; defaults: DefaultPermissions };
  /** The calling job's permissions, over the jobs of a called workflow: they get no more. */
  cap?: TokenPermissions;
  /** The workflow file the jobs are written in (OIDC: job_workflow_ref, job_workflow_sha). */
  jobWorkflow: { ref: string; sha: string };
  /** `caller/` for the jobs of a called workflow: their folders and their keys in the run's result. */
  prefix: string;
  /** The workflow each calling job calls, read before the run. */
  called: CalledWorkflows;
  /** Records a finished job in the run's result (`prefix` + id). */
  record(key: string, result: JobResult): void;
}

async function createJobFolders(workDir: string, jobId: string): Promise<JobFolders> {
  const jobDir = path.join(workDir, 'jobs', jobId);
  const folders = {
    workspace: path.join(jobDir, 'workspace'),
    temp: path.join(jobDir, 'temp'),
    toolCache: path.join(workDir, 'tool-cache'),
  };
  await rm(jobDir, { recursive: true, force: true });
  for (const dir of [folders.workspace, commandFilesDir(folders.temp), folders.toolCache])
    await mkdir(dir, { recursive: true });
  return folders;
}

/** A job's `if:` over the results of the jobs it needs (success() unless it says otherwise). */
export function jobConditionHolds(
  job: JobModel,
  contexts: Contexts,
  results: Readonly<Record<string, JobResult>>,
): Promise<boolean> {
  const needResults = job.needs.map((n) => results[n]!.result);
  return evaluateCondition(job.condition, {
    contexts,
    status: {
      success: needResults.every((r) => r === 'success'),
      failure: needResults.some((r) => r === 'failure'),
      cancelled: false,
    },
  });
}

/** github.token and secrets.GITHUB_TOKEN: the job's own token. */
function withToken(contexts: Contexts, token: string): void {
  contexts['github'] = { ...(contexts['github'] as Record<string, Json>), token };
  const secrets = { ...(contexts['secrets'] as Record<string, string>) };
  if (token !== '') secrets['GITHUB_TOKEN'] = token;
  contexts['secrets'] = secrets;
}

/** A job that runs steps: folders, `if:`, its token, environment, `env:`, defaults, steps, post steps, outputs. */
export async function runJob(
  call: JobCall,
  job: StepsJob,
  results: Readonly<Record<string, JobResult>>,
): Promise<JobResult> {
  const { masker } = call.run;
  const folders = await createJobFolders(call.run.paths.workDir, `${call.prefix}${job.id}`);
  const baseContexts = jobContexts(call.contexts, job, results, folders);
  const permissions = grantedPermissions(job.permissions, call.tokens.defaults, call.cap);
  const served = { model: job, key: `${call.prefix}${job.id}`, permissions, jobWorkflow: call.jobWorkflow };
  const state: JobState = {
    id: job.id,
    workspace: folders.workspace,
    temp: folders.temp,
    variables: jobVariables(runnerVariables(call.contexts.github, job.id, folders), call.services, served),
    fileEnv: {},
    pathPrepends: [],
    log: [],
    summary: [],
    annotations: [],
    posts: [],
  };
  let environment: string | undefined;
  const finish = (result: JobConclusion, outputs: Record<string, string>, ran: StepResult[]): JobResult => {
    const steps = ran.map((step) => maskStep(masker, step));
    return {
      result,
      outputs,
      steps,
      stepsById: Object.fromEntries(steps.map((s) => [s.id, s])),
      log: state.log,
      summary: state.summary.join(''),
      annotations: state.annotations,
      workspace: folders.workspace,
      ...(environment !== undefined ? { environment } : {}),
    };
  };
  const fail = (what: string, error: unknown): void => {
    state.log.push(masker.mask(`##[error]Job '${job.id}' ${what}: ${errorMessage(error)}`));
  };

  const workflowScope = { contexts: { ...baseContexts, env: call.contexts.env } };
  try {
    if (!(await jobConditionHolds(job, workflowScope.contexts, results))) {
      state.log.push(`Job '${job.id}' skipped (if: ${job.condition})`);
      return finish('skipped', {}, []);
    }
  } catch (error) {
    fail('condition', error);
    return finish('failure', {}, []);
  }

  let token: JobToken;
  try {
    token = await call.tokens.source.issue(permissions);
  } catch (error) {
    fail('token', error);
    return finish('failure', {}, []);
  }
  masker.add(token.value);
  withToken(baseContexts, token.value);
  state.log.push('GITHUB_TOKEN Permissions', ...describePermissions(permissions).map((line) => `  ${line}`));
  try {
    let jobEnv: Record<string, string>;
    try {
      environment = await environmentName(job, workflowScope);
      if (environment !== undefined) {
        const scoped = call.environments[environment];
        for (const value of Object.values(scoped?.secrets ?? {})) masker.add(value);
        baseContexts['secrets'] = { ...(baseContexts['secrets'] as Record<string, string>), ...scoped?.secrets };
        baseContexts['vars'] = { ...call.contexts.vars, ...scoped?.vars };
      }
      jobEnv = await evaluateStringMap(job.env, { contexts: { ...baseContexts, env: call.contexts.env } });
    } catch (error) {
      fail('env', error);
      return finish('failure', {}, []);
    }
    const env = { ...call.contexts.env, ...jobEnv };
    const jobEvaluation = { contexts: { ...baseContexts, env }, workspace: folders.workspace };
    let defaults: StepScope['defaults'];
    try {
      defaults = {
        shell: job.defaultShell ? await evaluateString(job.defaultShell, jobEvaluation) : undefined,
        workingDirectory: job.defaultWorkingDirectory
          ? await evaluateString(job.defaultWorkingDirectory, jobEvaluation)
          : undefined,
      };
      if (job.timeoutMinutes) {
        const minutes = Number(await evaluateToken(job.timeoutMinutes, jobEvaluation));
        if (Number.isFinite(minutes) && minutes > 0) state.deadline = Date.now() + minutes * 60_000;
      }
    } catch (error) {
      fail('defaults', error);
      return finish('failure', {}, []);
    }
    const scope: StepScope = { contexts: baseContexts, env, steps: {}, failed: false, extraEnv: {}, defaults };
    const steps = await runSteps(call.run, state, scope, job.steps);
    await runPostSteps(call.run, state, scope);

    let outputs: Record<string, string> = {};
    try {
      outputs = await jobOutputs(job, state, scope, masker);
    } catch (error) {
      fail('outputs', error);
      scope.failed = true;
    }
    return finish(scope.failed ? 'failure' : 'success', outputs, steps);
  } finally {
    // GitHub ends the token when the job finishes.
    await token.end();
  }
}

/** The job's `outputs:`, evaluated; the runner drops an output that would carry a secret. */
async function jobOutputs(
  job: StepsJob,
  state: JobState,
  scope: StepScope,
  masker: Masker,
): Promise<Record<string, string>> {
  const outputs: Record<string, string> = {};
  const raw = await evaluateToken(job.outputs, {
    contexts: { ...scope.contexts, env: { ...scope.env, ...state.fileEnv }, steps: scope.steps },
    status: scopeStatus(scope),
    workspace: state.workspace,
  });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return outputs;
  for (const [name, value] of Object.entries(raw)) {
    const text = coerceToString(value);
    if (masker.mask(text) !== text) {
      const message = `Skip output '${name}' since it may contain secret.`;
      state.annotations.push({ level: 'warning', message, properties: {} });
      state.log.push(`##[warning]${message}`);
      continue;
    }
    outputs[name] = text;
  }
  return outputs;
}

/** A step's result as recorded: outputs masked (the steps context kept the real values). */
function maskStep(masker: Masker, step: StepResult): StepResult {
  return {
    ...step,
    outputs: Object.fromEntries(Object.entries(step.outputs).map(([k, v]) => [k, masker.mask(v)])),
    ...(step.steps ? { steps: step.steps.map((inner) => maskStep(masker, inner)) } : {}),
  };
}
