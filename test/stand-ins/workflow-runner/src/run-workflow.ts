// Runs a workflow file locally, job after job, as GitHub's runner would:
// the workflow is read and checked, the run's contexts and services set up,
// then each selected job runs in `needs` order (run-job.ts).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError } from '@build-release-run/contract';
import type { ArtifactService } from './artifact-service/index.ts';
import { type RunFacts, type WorkflowContexts, type WorkflowEvent, eventPayload, githubContext } from './contexts.ts';
import { type GivenInput, resolveDispatchInputs } from './dispatch-inputs.ts';
import { allJobs, loadCalledWorkflows, calledWorkflowFiles, type WorkflowSource } from './called-workflow.ts';
import { checkUses, orderJobs, selectJobs } from './job-graph.ts';
import { type JobTokenMode, type JobTokenSource, serverTokens, sharedTokens } from './job-token.ts';
import { Masker } from './masks.ts';
import type { OidcIssuer } from '@build-release-run/sigstore-server';
import type { DefaultPermissions } from './permissions.ts';
import type { JobResult } from './run-job.ts';
import { runJobs } from './run-jobs.ts';
import type { RunEnvironment } from './run-model.ts';
import { closeServices, startServices } from './services.ts';
import { evaluateStringMap } from './template.ts';
import { type WorkflowModel, readWorkflow } from './workflow-file.ts';

export type { WorkflowEvent } from './contexts.ts';
export type { JobConclusion, JobResult } from './run-job.ts';
export { orderJobs } from './job-graph.ts';

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
  /**
   * The run's token (masked). With `apiUrl` it is the credential the runner
   * asks the local GitHub server with for each job's own GITHUB_TOKEN (see
   * jobTokens); it must be one of that server's write tokens.
   */
  token?: string;
  /**
   * Each job's GITHUB_TOKEN (github.token, secrets.GITHUB_TOKEN; in the
   * environment only when a workflow maps it):
   * - 'scoped', the default when `apiUrl` and `token` are given: an
   *   installation token the local GitHub server issues with exactly the
   *   job's permissions, ended when the job ends, as GitHub does;
   * - 'shared': `token` itself for every job, whatever it grants (for an
   *   API that is not the local GitHub server).
   */
  jobTokens?: JobTokenMode;
  /**
   * What a job without `permissions:` (in the job or the workflow) is
   * granted: GitHub's 'restricted' default for new repositories (contents
   * and packages read; the default here) or the older 'permissive' one.
   */
  defaultPermissions?: DefaultPermissions;
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
  /** Where the run's artifact service (and azurite) keep their data; default `<workDir>/artifacts`. */
  artifactsDir?: string;
  /**
   * An artifact service the caller started (startArtifactService) and stops:
   * to look at the artifacts after the run, or to share one between runs.
   * Default: one started for this run and stopped at its end.
   */
  artifacts?: ArtifactService;
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
  /** Every log line as it is recorded, masked. */
  onLine?: (jobId: string, line: string) => void;
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
  /** The repository's default branch (event payload); default `main`. */
  defaultBranch?: string;
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

/** The event's inputs, checked against the workflow's declarations. */
function eventInputs(workflow: WorkflowModel, event: WorkflowEvent, given: Record<string, GivenInput> | undefined) {
  if (!workflow.events.includes(event)) {
    throw new ConfigurationError(
      `The workflow ${workflow.file} does not run on '${event}'; it runs on ${workflow.events.join(', ') || 'nothing'}.`,
    );
  }
  if (event === 'workflow_dispatch') return resolveDispatchInputs(workflow.dispatchInputs, given ?? {});
  if (given && Object.keys(given).length > 0) {
    throw new ConfigurationError(`Inputs are given to a workflow_dispatch run; this run's event is '${event}'.`);
  }
  return { inputs: {}, eventInputs: {} };
}

/** Where each job's GITHUB_TOKEN comes from (see RunWorkflowOptions.jobTokens). */
function jobTokenSource(options: RunWorkflowOptions, repository: string, token: string): JobTokenSource {
  const mode = options.jobTokens ?? (options.apiUrl !== undefined && token !== '' ? 'scoped' : 'shared');
  if (mode === 'shared') return sharedTokens(token);
  if (options.apiUrl === undefined || token === '') {
    throw new ConfigurationError(
      "jobTokens: 'scoped' needs apiUrl (the local GitHub server) and token (one of its write tokens) to ask for each job's token.",
    );
  }
  return serverTokens(options.apiUrl, token, repository);
}

/** Runs a workflow file locally, job after job, as GitHub's runner would. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
  const repoDir = path.resolve(options.repoDir);
  const workflowFile = path.resolve(repoDir, options.workflowFile);
  const actionRepositories = options.actionRepositories ?? {};
  const repository = options.repository ?? `local/${path.basename(repoDir)}`;
  const ref = options.ref ?? 'refs/heads/main';
  const sha = options.sha ?? (await headSha(repoDir));
  const source: WorkflowSource = { dir: repoDir, repository, ref, sha };
  const workflow = await readWorkflow(workflowFile, calledWorkflowFiles(source, actionRepositories));
  const called = await loadCalledWorkflows(workflow, source, actionRepositories);
  checkUses(allJobs(workflow, called), actionRepositories);
  const event = options.event ?? 'push';
  const { inputs, eventInputs: givenEventInputs } = eventInputs(workflow, event, options.inputs);
  const jobs = selectJobs(orderJobs(workflow.jobs), options.jobs);

  const workDir = options.workDir ?? (await mkdtemp(path.join(tmpdir(), 'brr-run-')));
  await mkdir(workDir, { recursive: true });
  const artifactsDir = options.artifactsDir ?? path.join(workDir, 'artifacts');
  const { GITHUB_TOKEN: givenToken, ...secrets } = options.secrets ?? {};
  const token = options.token ?? givenToken ?? '';
  const facts: RunFacts = {
    repository,
    event,
    eventInputs: givenEventInputs,
    sha,
    ref,
    actor: options.actor ?? 'local-user',
    runId: options.runId ?? String(Date.now()),
    runNumber: options.runNumber ?? 1,
    runAttempt: options.runAttempt ?? 1,
    serverUrl: options.serverUrl ?? 'https://github.com',
    apiUrl: options.apiUrl ?? 'https://api.github.com',
    token,
    workflow: { name: workflow.name, path: path.relative(repoDir, workflowFile), file: workflow.file },
    eventPath: path.join(workDir, 'event.json'),
    visibility: options.visibility ?? 'public',
    defaultBranch: options.defaultBranch ?? 'main',
  };
  const payload = eventPayload(facts);
  await writeFile(facts.eventPath, JSON.stringify(payload, null, 2));

  const masker = new Masker();
  for (const value of [...Object.values(secrets), token]) masker.add(value);
  const run: RunEnvironment = {
    paths: { repoDir, workDir },
    identity: { repository: facts.repository, serverUrl: facts.serverUrl, runId: facts.runId },
    actions: { repositories: actionRepositories, dir: path.join(workDir, '_actions'), downloaded: new Set() },
    machine: {
      nodePath: options.nodePath ?? process.execPath,
      baseEnv: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/root',
        LANG: process.env['LANG'] ?? 'C.UTF-8',
        ...options.env,
      },
    },
    artifacts: { dir: artifactsDir, ...(options.artifacts ? { shared: options.artifacts } : {}) },
    masker,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  };
  const github = githubContext(facts, payload);
  const vars = { ...options.vars };
  const contexts: WorkflowContexts = {
    github,
    secrets,
    vars,
    inputs,
    env: await evaluateStringMap(workflow.env, { contexts: { github, secrets, inputs, vars } }),
  };

  const idTokens = {
    ...(options.oidcIssuer ? { issuer: options.oidcIssuer } : {}),
    ...(options.repositoryId ? { repositoryId: options.repositoryId } : {}),
    ...(options.repositoryOwnerId ? { repositoryOwnerId: options.repositoryOwnerId } : {}),
    visibility: facts.visibility,
  };
  const services = await startServices({ run, github, idTokens });
  const results: Record<string, JobResult> = {};
  try {
    await runJobs(
      {
        run,
        contexts,
        environments: options.environments ?? {},
        services,
        tokens: {
          source: jobTokenSource(options, repository, token),
          defaults: options.defaultPermissions ?? 'restricted',
        },
        jobWorkflow: { ref: String(github['workflow_ref']), sha },
        prefix: '',
        called,
        record: (key, result) => (results[key] = result),
      },
      jobs,
    );
  } finally {
    await closeServices(services);
  }
  const failed = Object.values(results).some((r) => r.result === 'failure');
  return { conclusion: failed ? 'failure' : 'success', jobs: results, runId: facts.runId, workDir, artifactsDir };
}
