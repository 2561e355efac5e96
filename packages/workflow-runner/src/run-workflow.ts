import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { ArtifactStore } from './artifact-store.ts';
import { type GivenInput, resolveDispatchInputs } from './dispatch-inputs.ts';
import { type Contexts, type Json, coerceToString, evaluateCondition } from './expressions.ts';
import { Masker } from './masks.ts';
import { JobIdTokens } from './job-id-token.ts';
import type { JobIdentity } from './id-token-claims.ts';
import type { OidcIssuer } from '@build-release-run/sigstore-server';
import { resolveActionReference } from './action-reference.ts';
import {
  type JobState,
  type RunEnvironment,
  type StepResult,
  type StepScope,
  runPostSteps,
  runSteps,
  unsupportedUses,
} from './step-executor.ts';
import { evaluateString, evaluateStringMap, evaluateToken } from './template.ts';
import type { Annotation } from './workflow-commands.ts';
import { type JobModel, type WorkflowModel, readWorkflow } from './workflow-file.ts';

export type WorkflowEvent = 'push' | 'workflow_dispatch';

export interface RunWorkflowOptions {
  /** The workflow file, absolute or relative to repoDir. */
  workflowFile: string;
  /** The repository the run checks out (actions/checkout copies it). */
  repoDir: string;
  event?: WorkflowEvent;
  /** workflow_dispatch inputs, checked and typed against the workflow's declarations. */
  inputs?: Record<string, GivenInput>;
  /** The `secrets` context; every value is masked. */
  secrets?: Record<string, string>;
  /** The `vars` context. */
  vars?: Record<string, string>;
  /**
   * Deployment environments: a job with `environment: <name>` also gets that
   * environment's secrets (masked) and variables, over the repository's.
   */
  environments?: Record<string, { secrets?: Record<string, string>; vars?: Record<string, string> }>;
  /** github.token and secrets.GITHUB_TOKEN (masked). Not put in the environment unless a workflow maps it. */
  token?: string;
  /** GITHUB_API_URL / github.api_url: the local GitHub server. */
  apiUrl?: string;
  serverUrl?: string;
  /** owner/name; default `local/<folder name>`. */
  repository?: string;
  /** Default: the repository's HEAD commit, or 40 zeros outside git. */
  sha?: string;
  /** Default `refs/heads/main`. */
  ref?: string;
  actor?: string;
  runId?: string;
  runNumber?: number;
  runAttempt?: number;
  /** Where workspaces and temp folders go; default a new temporary folder. */
  workDir?: string;
  /** The artifact storage; default `<workDir>/artifacts`. Share it between runs to download across runs. */
  artifactsDir?: string;
  /** Added to every process's environment (the runner machine's environment). */
  env?: Record<string, string>;
  /** The Node that runs node24 actions; default this process's. */
  nodePath?: string;
  /**
   * Repositories whose actions are run from a local folder: `uses:
   * owner/repo/path@ref` runs `<folder>/path` (copied per run, as the runner
   * downloads actions). E.g. `{ 'OWNER/build-release-run': repoRoot }`.
   */
  actionRepositories?: Record<string, string>;
  /**
   * Run only these jobs (like `act -j`); each must have its needs selected
   * too. Default: every job.
   */
  jobs?: string[];
  /**
   * Signs the OIDC tokens of jobs that grant `id-token: write` (a local
   * Sigstore trusts it); default a new issuer nobody trusts.
   */
  oidcIssuer?: OidcIssuer;
  /** repository_id / repository_owner_id in tokens; default 1 and 1. */
  repositoryId?: string;
  repositoryOwnerId?: string;
  /** The repository's visibility (event payload, tokens); default `public`. */
  visibility?: 'public' | 'private' | 'internal';
  /** Every log line as it is recorded, masked. */
  onLine?: (jobId: string, line: string) => void;
}

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

export interface RunWorkflowResult {
  conclusion: 'success' | 'failure';
  jobs: Record<string, JobResult>;
  runId: string;
  workDir: string;
  artifactsDir: string;
}

const execFileAsync = promisify(execFile);

async function headSha(repoDir: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', 'HEAD'], { cwd: repoDir });
    return stdout.trim();
  } catch {
    return '0'.repeat(40);
  }
}

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

function selectJobs(ordered: JobModel[], wanted: string[] | undefined): JobModel[] {
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

/** Refuses, before anything runs, a workflow that uses an action the runner cannot run. */
function checkUses(workflow: WorkflowModel, actionRepositories: Record<string, string>): void {
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (step.uses && !resolveActionReference(step.uses, actionRepositories)) throw unsupportedUses(step.uses);
    }
  }
}

/** Runs a workflow file locally, job after job, as GitHub's runner would. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
  const repoDir = path.resolve(options.repoDir);
  const workflowFile = path.resolve(repoDir, options.workflowFile);
  const workflow = await readWorkflow(workflowFile);
  const actionRepositories = options.actionRepositories ?? {};
  checkUses(workflow, actionRepositories);
  const event = options.event ?? 'push';
  if (!workflow.events.includes(event)) {
    throw new ConfigurationError(
      `The workflow ${workflow.file} does not run on '${event}'; it runs on ${workflow.events.join(', ') || 'nothing'}.`,
    );
  }
  const { inputs, eventInputs } =
    event === 'workflow_dispatch'
      ? resolveDispatchInputs(workflow.dispatchInputs, options.inputs ?? {})
      : { inputs: {}, eventInputs: {} };
  if (event !== 'workflow_dispatch' && options.inputs && Object.keys(options.inputs).length > 0) {
    throw new ConfigurationError(`Inputs are given to a workflow_dispatch run; this run's event is '${event}'.`);
  }

  const workDir = options.workDir ?? (await mkdtemp(path.join(tmpdir(), 'brr-run-')));
  await mkdir(workDir, { recursive: true });
  const artifactsDir = options.artifactsDir ?? path.join(workDir, 'artifacts');
  const runId = options.runId ?? String(Date.now());
  const repository = options.repository ?? `local/${path.basename(repoDir)}`;
  const [owner, repoName] = repository.split('/') as [string, string];
  const serverUrl = options.serverUrl ?? 'https://github.com';
  const apiUrl = options.apiUrl ?? 'https://api.github.com';
  const sha = options.sha ?? (await headSha(repoDir));
  const ref = options.ref ?? 'refs/heads/main';
  const refName = ref.replace(/^refs\/(heads|tags)\//, '');
  const actor = options.actor ?? 'local-user';
  const token = options.token ?? options.secrets?.['GITHUB_TOKEN'] ?? '';
  const secrets: Record<string, string> = { ...options.secrets, ...(token ? { GITHUB_TOKEN: token } : {}) };

  const masker = new Masker();
  for (const value of Object.values(secrets)) masker.add(value);

  const eventPayload: Record<string, Json> = {
    repository: {
      full_name: repository,
      name: repoName,
      owner: { login: owner },
      private: (options.visibility ?? 'public') !== 'public',
      visibility: options.visibility ?? 'public',
    },
    sender: { login: actor },
    ...(event === 'workflow_dispatch' ? { inputs: eventInputs, ref, workflow: workflow.file } : {}),
    ...(event === 'push' ? { ref, after: sha, before: '0'.repeat(40), head_commit: { id: sha } } : {}),
  };
  const eventPath = path.join(workDir, 'event.json');
  await writeFile(eventPath, JSON.stringify(eventPayload, null, 2));

  const github: Record<string, Json> = {
    repository,
    repository_owner: owner,
    sha,
    ref,
    ref_name: refName,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    run_id: runId,
    run_number: String(options.runNumber ?? 1),
    run_attempt: String(options.runAttempt ?? 1),
    actor,
    triggering_actor: actor,
    event_name: event,
    event: eventPayload,
    event_path: eventPath,
    server_url: serverUrl,
    api_url: apiUrl,
    graphql_url: `${apiUrl}/graphql`,
    token,
    workflow: workflow.name,
    workflow_ref: `${repository}/${path.relative(repoDir, workflowFile)}@${ref}`,
    retention_days: '90',
    action_path: '',
    action: '',
  };
  const vars = { ...options.vars };
  const store = new ArtifactStore(artifactsDir);
  const workflowEnv = await evaluateStringMap(workflow.env, {
    contexts: { github, secrets, inputs, vars },
  });

  const results: Record<string, JobResult> = {};
  const downloadedActions = new Set<string>();
  const idTokens = new JobIdTokens(options.oidcIssuer, serverUrl, owner);
  for (const job of selectJobs(orderJobs(workflow.jobs), options.jobs)) {
    results[job.id] = await runJob({
      idTokens,
      job,
      workflow,
      options,
      repoDir,
      workDir,
      github,
      secrets,
      vars,
      inputs,
      workflowEnv,
      results,
      masker,
      store,
      repository,
      serverUrl,
      apiUrl,
      runId,
      eventPath,
      downloadedActions,
    });
  }
  await idTokens.close();
  const failed = Object.values(results).some((r) => r.result === 'failure');
  return { conclusion: failed ? 'failure' : 'success', jobs: results, runId, workDir, artifactsDir };
}

interface JobInvocation {
  job: JobModel;
  workflow: WorkflowModel;
  options: RunWorkflowOptions;
  repoDir: string;
  workDir: string;
  github: Record<string, Json>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  inputs: Record<string, Json>;
  workflowEnv: Record<string, string>;
  results: Record<string, JobResult>;
  masker: Masker;
  store: ArtifactStore;
  repository: string;
  serverUrl: string;
  apiUrl: string;
  runId: string;
  eventPath: string;
  downloadedActions: Set<string>;
  idTokens: JobIdTokens;
}

async function runJob(call: JobInvocation): Promise<JobResult> {
  const { job, results, masker } = call;
  const jobDir = path.join(call.workDir, 'jobs', job.id);
  const workspace = path.join(jobDir, 'workspace');
  const temp = path.join(jobDir, 'temp');
  const toolCache = path.join(call.workDir, 'tool-cache');
  await rm(jobDir, { recursive: true, force: true });
  for (const dir of [workspace, path.join(temp, '_runner_file_commands'), toolCache])
    await mkdir(dir, { recursive: true });

  const state: JobState = {
    id: job.id,
    workspace,
    temp,
    fileEnv: {},
    pathPrepends: [],
    log: [],
    summary: [],
    annotations: [],
    posts: [],
  };
  const needs: Record<string, Json> = {};
  for (const need of job.needs) {
    const result = results[need]!;
    needs[need] = { result: result.result, outputs: result.outputs };
  }
  const needResults = job.needs.map((n) => results[n]!.result);
  const runner = { name: 'local', os: 'Linux', arch: 'X64', temp, tool_cache: toolCache, environment: 'github-hosted' };
  const github = { ...call.github, job: job.id, workspace };
  const baseContexts: Contexts = {
    github,
    inputs: call.inputs,
    vars: call.vars,
    secrets: call.secrets,
    needs,
    strategy: {},
    matrix: {},
    runner,
    job: { status: 'success', services: {} },
  };
  let environment: string | undefined;
  const finish = (result: JobResult['result'], outputs: Record<string, string>, ran: StepResult[]): JobResult => {
    const steps = ran.map((step) => maskStep(masker, step));
    return {
      result,
      outputs,
      steps,
      stepsById: Object.fromEntries(steps.map((s) => [s.id, s])),
      log: state.log,
      summary: state.summary.join(''),
      annotations: state.annotations,
      workspace,
      ...(environment !== undefined ? { environment } : {}),
    };
  };

  const jobStatus = {
    success: needResults.every((r) => r === 'success'),
    failure: needResults.some((r) => r === 'failure'),
    cancelled: false,
  };
  let runIt: boolean;
  try {
    runIt = await evaluateCondition(job.condition, {
      contexts: { ...baseContexts, env: call.workflowEnv },
      status: jobStatus,
    });
  } catch (error) {
    state.log.push(masker.mask(`##[error]Job '${job.id}' condition: ${errorMessage(error)}`));
    return finish('failure', {}, []);
  }
  if (!runIt) {
    state.log.push(`Job '${job.id}' skipped (if: ${job.condition})`);
    return finish('skipped', {}, []);
  }

  const run: RunEnvironment = {
    repoDir: call.repoDir,
    workDir: call.workDir,
    repository: call.repository,
    serverUrl: call.serverUrl,
    runId: call.runId,
    store: call.store,
    masker,
    nodePath: call.options.nodePath ?? process.execPath,
    baseEnv: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/root',
      LANG: process.env['LANG'] ?? 'C.UTF-8',
      ...call.options.env,
    },
    runnerEnv: runnerVariables(call, job, workspace, temp, toolCache),
    onLine: call.options.onLine,
    actionRepositories: call.options.actionRepositories ?? {},
    actionsDir: path.join(call.workDir, '_actions'),
    downloadedActions: call.downloadedActions,
  };

  let jobEnv: Record<string, string>;
  try {
    environment = await environmentName(job, { contexts: { ...baseContexts, env: call.workflowEnv } });
    if (environment !== undefined) {
      const scoped = call.options.environments?.[environment];
      for (const value of Object.values(scoped?.secrets ?? {})) masker.add(value);
      baseContexts['secrets'] = { ...call.secrets, ...scoped?.secrets };
      baseContexts['vars'] = { ...call.vars, ...scoped?.vars };
    }
    Object.assign(
      run.runnerEnv,
      await call.idTokens.variables(job.permissions, jobIdentity(call, environment), masker),
    );
    jobEnv = await evaluateStringMap(job.env, { contexts: { ...baseContexts, env: call.workflowEnv } });
  } catch (error) {
    state.log.push(masker.mask(`##[error]Job '${job.id}' env: ${errorMessage(error)}`));
    return finish('failure', {}, []);
  }
  const jobEvaluation = { contexts: { ...baseContexts, env: { ...call.workflowEnv, ...jobEnv } }, workspace };
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
    state.log.push(masker.mask(`##[error]Job '${job.id}' defaults: ${errorMessage(error)}`));
    return finish('failure', {}, []);
  }
  const scope: StepScope = {
    contexts: baseContexts,
    env: { ...call.workflowEnv, ...jobEnv },
    steps: {},
    failed: false,
    extraEnv: {},
    defaults,
  };
  const steps = await runSteps(run, state, scope, job.steps);
  await runPostSteps(run, state, scope);

  const outputs: Record<string, string> = {};
  try {
    const raw = await evaluateToken(job.outputs, {
      contexts: { ...baseContexts, env: { ...scope.env, ...state.fileEnv }, steps: scope.steps },
      status: { success: !scope.failed, failure: scope.failed, cancelled: false },
      workspace,
    });
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [name, value] of Object.entries(raw)) {
        const text = coerceToString(value);
        // The runner drops an output that would carry a secret.
        if (masker.mask(text) !== text) {
          state.annotations.push({
            level: 'warning',
            message: `Skip output '${name}' since it may contain secret.`,
            properties: {},
          });
          state.log.push(`##[warning]Skip output '${name}' since it may contain secret.`);
          continue;
        }
        outputs[name] = text;
      }
    }
  } catch (error) {
    state.log.push(masker.mask(`##[error]Job '${job.id}' outputs: ${errorMessage(error)}`));
    scope.failed = true;
  }
  return finish(scope.failed ? 'failure' : 'success', outputs, steps);
}

async function environmentName(job: JobModel, scope: { contexts: Contexts }): Promise<string | undefined> {
  if (job.environment === undefined) return undefined;
  const value = await evaluateToken(job.environment, scope);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value['name'] === 'string') {
    return value['name'] === '' ? undefined : value['name'];
  }
  return undefined;
}

/** A step's result as recorded: outputs masked (the steps context kept the real values). */
function maskStep(masker: Masker, step: StepResult): StepResult {
  return {
    ...step,
    outputs: Object.fromEntries(Object.entries(step.outputs).map(([k, v]) => [k, masker.mask(v)])),
    ...(step.steps ? { steps: step.steps.map((inner) => maskStep(masker, inner)) } : {}),
  };
}

function jobIdentity(call: JobInvocation, environment: string | undefined): JobIdentity {
  const g = call.github;
  return {
    repository: call.repository,
    repositoryId: call.options.repositoryId ?? '1',
    repositoryOwnerId: call.options.repositoryOwnerId ?? '1',
    visibility: call.options.visibility ?? 'public',
    actor: String(g['actor']),
    ref: String(g['ref']),
    sha: String(g['sha']),
    workflowRef: String(g['workflow_ref']),
    workflowName: call.workflow.name,
    eventName: String(g['event_name']),
    runId: call.runId,
    runNumber: String(g['run_number']),
    runAttempt: String(g['run_attempt']),
    runnerEnvironment: 'github-hosted',
    ...(environment !== undefined ? { environment } : {}),
  };
}

function runnerVariables(
  call: JobInvocation,
  job: JobModel,
  workspace: string,
  temp: string,
  toolCache: string,
): Record<string, string> {
  const g = call.github;
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: call.repository,
    GITHUB_REPOSITORY_OWNER: String(g['repository_owner']),
    GITHUB_SHA: String(g['sha']),
    GITHUB_REF: String(g['ref']),
    GITHUB_REF_NAME: String(g['ref_name']),
    GITHUB_REF_TYPE: String(g['ref_type']),
    GITHUB_RUN_ID: call.runId,
    GITHUB_RUN_NUMBER: String(g['run_number']),
    GITHUB_RUN_ATTEMPT: String(g['run_attempt']),
    GITHUB_ACTOR: String(g['actor']),
    GITHUB_TRIGGERING_ACTOR: String(g['actor']),
    GITHUB_EVENT_NAME: String(g['event_name']),
    GITHUB_EVENT_PATH: call.eventPath,
    GITHUB_JOB: job.id,
    GITHUB_WORKFLOW: call.workflow.name,
    GITHUB_WORKFLOW_REF: String(g['workflow_ref']),
    GITHUB_SERVER_URL: call.serverUrl,
    GITHUB_API_URL: call.apiUrl,
    GITHUB_GRAPHQL_URL: `${call.apiUrl}/graphql`,
    GITHUB_RETENTION_DAYS: '90',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'local',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: toolCache,
  };
}
