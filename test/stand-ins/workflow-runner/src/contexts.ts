// The contexts expressions see: the run's (`github`, `secrets`, `vars`,
// `inputs`, the workflow's `env`) and, for each job, `needs`, `runner`,
// `job`, and its deployment environment's secrets and variables.
import type { Contexts, Json } from './expressions.ts';
import type { JobFolders } from './process-env.ts';
import { evaluateToken } from './template.ts';
import type { JobModel, StepsJob } from './workflow-file.ts';

export type WorkflowEvent = 'push' | 'workflow_dispatch';

/** What the `github` context and the event payload are made of. */
export interface RunFacts {
  repository: string;
  event: WorkflowEvent;
  /** `github.event.inputs` of a workflow_dispatch: strings. */
  eventInputs: Record<string, string>;
  sha: string;
  ref: string;
  actor: string;
  runId: string;
  runNumber: number;
  runAttempt: number;
  serverUrl: string;
  apiUrl: string;
  token: string;
  /** The workflow's name, and its file relative to the repository and by itself. */
  workflow: { name: string; path: string; file: string };
  eventPath: string;
  /** The repository's visibility, in the payload as GitHub sends it. */
  visibility: 'public' | 'private' | 'internal';
  /** The repository's default branch name (`repository.default_branch` of every payload). */
  defaultBranch: string;
}

/** The run's contexts, the same for every job. */
export interface WorkflowContexts {
  github: Record<string, Json>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  inputs: Record<string, Json>;
  /** The workflow's `env:`, evaluated. */
  env: Record<string, string>;
}

/** Secrets and variables of deployment environments, by name. */
export type Environments = Record<string, { secrets?: Record<string, string>; vars?: Record<string, string> }>;

function ownerAndName(repository: string): { owner: string; name: string } {
  const [owner, name] = repository.split('/') as [string, string];
  return { owner, name };
}

/** The webhook payload of the event, as GITHUB_EVENT_PATH holds it. */
export function eventPayload(facts: RunFacts): Record<string, Json> {
  const { owner, name } = ownerAndName(facts.repository);
  return {
    repository: {
      full_name: facts.repository,
      name,
      owner: { login: owner },
      private: facts.visibility !== 'public',
      visibility: facts.visibility,
      default_branch: facts.defaultBranch,
    },
    sender: { login: facts.actor },
    ...(facts.event === 'workflow_dispatch'
      ? { inputs: facts.eventInputs, ref: facts.ref, workflow: facts.workflow.file }
      : {}),
    ...(facts.event === 'push'
      ? { ref: facts.ref, after: facts.sha, before: '0'.repeat(40), head_commit: { id: facts.sha } }
      : {}),
  };
}

export function githubContext(facts: RunFacts, event: Record<string, Json>): Record<string, Json> {
  const { owner } = ownerAndName(facts.repository);
  return {
    repository: facts.repository,
    repository_owner: owner,
    sha: facts.sha,
    ref: facts.ref,
    ref_name: facts.ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: facts.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    run_id: facts.runId,
    run_number: String(facts.runNumber),
    run_attempt: String(facts.runAttempt),
    actor: facts.actor,
    triggering_actor: facts.actor,
    event_name: facts.event,
    event,
    event_path: facts.eventPath,
    server_url: facts.serverUrl,
    api_url: facts.apiUrl,
    graphql_url: `${facts.apiUrl}/graphql`,
    token: facts.token,
    workflow: facts.workflow.name,
    workflow_ref: `${facts.repository}/${facts.workflow.path}@${facts.ref}`,
    retention_days: '90',
    action_path: '',
    action: '',
  };
}

/** What a finished job gives the jobs that need it. */
export interface NeededJob {
  result: string;
  outputs: Record<string, string>;
}

/** `needs`: the result and outputs of each job this one needs. */
export function needsContext(job: JobModel, needed: Readonly<Record<string, NeededJob>>): Record<string, Json> {
  const needs: Record<string, Json> = {};
  for (const need of job.needs) needs[need] = { result: needed[need]!.result, outputs: needed[need]!.outputs };
  return needs;
}

/** A job's contexts before its steps: the run's, with its `needs`, `runner` and `job`. */
export function jobContexts(
  run: WorkflowContexts,
  job: JobModel,
  needed: Readonly<Record<string, NeededJob>>,
  folders: JobFolders,
): Contexts {
  const needs = needsContext(job, needed);
  return {
    github: { ...run.github, job: job.id, workspace: folders.workspace },
    inputs: run.inputs,
    vars: run.vars,
    secrets: run.secrets,
    needs,
    strategy: {},
    matrix: {},
    runner: {
      name: 'local',
      os: 'Linux',
      arch: 'X64',
      temp: folders.temp,
      tool_cache: folders.toolCache,
      environment: 'github-hosted',
    },
    job: { status: 'success', services: {} },
  };
}

/** The job's `environment:` name (a string or `{ name }`), evaluated; undefined when none or empty. */
export async function environmentName(job: StepsJob, scope: { contexts: Contexts }): Promise<string | undefined> {
  if (job.environment === undefined) return undefined;
  const value = await evaluateToken(job.environment, scope);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value['name'] === 'string') {
    return value['name'] === '' ? undefined : value['name'];
  }
  return undefined;
}
