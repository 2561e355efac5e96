// Reusable workflows (`on: workflow_call`), called by a job with `uses:`,
// as GitHub runs them ("Reusing workflows"):
// - the file is `./.github/workflows/<file>` of the calling workflow's
//   repository, or `owner/repo/.github/workflows/<file>@ref` of a
//   repository mapped to a folder (actionRepositories); nothing else;
// - `with:` gives the declared inputs, typed (boolean, number, string),
//   with their defaults (false, 0 and "" when none); `secrets:` gives the
//   declared secrets, or `inherit` all of the caller's; GITHUB_TOKEN always;
// - the called workflow sees the caller's `github` context and `vars`, not
//   its `env`; its jobs get at most the calling job's permissions;
// - its outputs are its `on.workflow_call.outputs` over the `jobs` context,
//   and the calling job fails when one of its jobs failed;
// - the OIDC tokens of its jobs name it in `job_workflow_ref` and
//   `job_workflow_sha`, while `workflow_ref` stays the caller's.
// Called workflows are read and checked (GitHub's parser checks each call's
// inputs and secrets) before anything runs; they may call others, four
// levels deep, as the parser allows by default.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import type { WorkflowContexts } from './contexts.ts';
import { type Contexts, type Json, coerceToString } from './expressions.ts';
import { orderJobs } from './job-graph.ts';
import { grantedPermissions } from './permissions.ts';
import type { JobCall, JobResult } from './run-job.ts';
import { evaluateStringMap, evaluateToken } from './template.ts';
import {
  type CallJob,
  type CalledWorkflowFiles,
  type JobModel,
  type WorkflowModel,
  readWorkflow,
} from './workflow-file.ts';

/** Where a workflow file comes from: its repository, checked out at a ref and commit in a folder. */
export interface WorkflowSource {
  dir: string;
  repository: string;
  /** The full ref: `refs/heads/main`, `refs/tags/v1`, or a commit. */
  ref: string;
  sha: string;
}

export interface CalledWorkflow {
  workflow: WorkflowModel;
  source: WorkflowSource;
  /** `owner/repo/.github/workflows/x.yml@ref`: the OIDC token's job_workflow_ref. */
  identity: string;
}

/** The called workflow of every calling job of a run, at any depth. */
export type CalledWorkflows = ReadonlyMap<CallJob, CalledWorkflow>;

const MAX_DEPTH = 4;
const LOCAL = /^\.\/(\.github\/workflows\/[^/]+\.ya?ml)$/;
const REMOTE = /^([^/@\s]+)\/([^/@\s]+)\/(\.github\/workflows\/[^/@\s]+\.ya?ml)@(\S+)$/;

const execFileAsync = promisify(execFile);

async function git(dir: string, ...args: string[]): Promise<string | undefined> {
  try {
    return (await execFileAsync('git', ['-C', dir, ...args])).stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * The ref GitHub would name for `ref` of a mapped repository: a commit as
 * it is, a branch the folder's git has as `refs/heads/…`, anything else as
 * a tag (`v1`). The commit is the folder's HEAD: its files are what runs.
 */
async function mappedSource(dir: string, repository: string, ref: string): Promise<WorkflowSource> {
  const sha = (await git(dir, 'rev-parse', 'HEAD')) ?? '0'.repeat(40);
  if (/^[0-9a-f]{40}$/.test(ref)) return { dir, repository, ref, sha };
  const branch = await git(dir, 'rev-parse', '--verify', '--quiet', `refs/heads/${ref}`);
  return { dir, repository, ref: branch ? `refs/heads/${ref}` : `refs/tags/${ref}`, sha };
}

/** The file a `jobs.<id>.uses` names, from the workflow in `from`, and the source it belongs to. */
export async function locateCalledWorkflow(
  uses: string,
  from: WorkflowSource,
  actionRepositories: Readonly<Record<string, string>>,
): Promise<{ file: string; source: WorkflowSource; identity: string }> {
  const local = LOCAL.exec(uses);
  if (local) {
    return {
      file: path.join(from.dir, local[1]!),
      source: from,
      identity: `${from.repository}/${local[1]}@${from.ref}`,
    };
  }
  const remote = REMOTE.exec(uses);
  const repository = remote ? `${remote[1]}/${remote[2]}` : '';
  const key = Object.keys(actionRepositories).find((k) => k.toLowerCase() === repository.toLowerCase());
  if (!remote || key === undefined) {
    throw new ConfigurationError(
      `'uses: ${uses}' calls a workflow the local runner cannot find. It runs reusable workflows at ` +
        "'./.github/workflows/<file>.yml' of the calling repository and 'owner/repo/.github/workflows/<file>.yml@ref' " +
        'of repositories mapped to a local folder (actionRepositories, --action-repo).',
    );
  }
  const source = await mappedSource(path.resolve(actionRepositories[key]!), key, remote[4]!);
  return { file: path.join(source.dir, remote[3]!), source, identity: `${key}/${remote[3]}@${source.ref}` };
}

/** What GitHub's parser reads to check a call from a workflow in `from`. */
export function calledWorkflowFiles(
  from: WorkflowSource,
  actionRepositories: Readonly<Record<string, string>>,
): CalledWorkflowFiles {
  return async (uses) => {
    const { file } = await locateCalledWorkflow(uses, from, actionRepositories);
    return { name: path.basename(file), content: await readFile(file, 'utf8') };
  };
}

/** Reads every workflow the jobs call, and those they call, checking each call. */
export async function loadCalledWorkflows(
  workflow: WorkflowModel,
  from: WorkflowSource,
  actionRepositories: Readonly<Record<string, string>>,
  found = new Map<CallJob, CalledWorkflow>(),
  depth = 1,
): Promise<Map<CallJob, CalledWorkflow>> {
  for (const job of workflow.jobs) {
    if (job.kind !== 'call') continue;
    if (depth > MAX_DEPTH) {
      throw new ConfigurationError(
        `Job '${job.id}' of ${workflow.file} calls ${job.uses} at depth ${depth}; reusable workflows nest at most ${MAX_DEPTH} levels.`,
      );
    }
    const { file, source, identity } = await locateCalledWorkflow(job.uses, from, actionRepositories);
    const called = await readWorkflow(file, calledWorkflowFiles(source, actionRepositories)).catch((error) => {
      throw new ConfigurationError(`Job '${job.id}' of ${workflow.file} calls ${job.uses}: ${errorMessage(error)}`);
    });
    if (called.call === undefined) {
      throw new ConfigurationError(
        `Job '${job.id}' of ${workflow.file} calls ${job.uses}, which does not run on workflow_call; add 'on: workflow_call' to it.`,
      );
    }
    found.set(job, { workflow: called, source, identity });
    await loadCalledWorkflows(called, source, actionRepositories, found, depth + 1);
  }
  return found;
}

/** Every job of a run, the called workflows' too. */
export function allJobs(workflow: WorkflowModel, called: CalledWorkflows): JobModel[] {
  return workflow.jobs.flatMap((job) => {
    const inner = job.kind === 'call' ? called.get(job) : undefined;
    return [job, ...(inner ? allJobs(inner.workflow, called) : [])];
  });
}

function typeOf(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** The called workflow's `inputs` context: every declared input, typed, from `with:` or its default. */
async function callInputs(job: CallJob, called: WorkflowModel, contexts: Contexts): Promise<Record<string, Json>> {
  const given = (await evaluateToken(job.with, { contexts })) ?? {};
  const byName = new Map(
    Object.entries(given as Record<string, Json>).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const inputs: Record<string, Json> = {};
  for (const [name, input] of Object.entries(called.call!.inputs)) {
    let value = byName.get(name.toLowerCase());
    if (value === undefined) {
      if (input.required) throw new ConfigurationError(`Input ${name} is required, but not provided while calling.`);
      const fallback = input.type === 'boolean' ? false : input.type === 'number' ? 0 : '';
      value = input.default ? await evaluateToken(input.default, { contexts: { ...contexts, inputs: {} } }) : fallback;
    }
    if (typeOf(value) !== input.type) {
      throw new ConfigurationError(
        `Input '${name}' of ${called.file} is a ${input.type}; the call gives ${typeOf(value)} ${JSON.stringify(value)}.`,
      );
    }
    inputs[name] = value;
  }
  return inputs;
}

/** The called workflow's `secrets` context: what `secrets:` passes, or all of the caller's with `inherit`. */
async function callSecrets(job: CallJob, called: WorkflowModel, contexts: Contexts): Promise<Record<string, string>> {
  // The caller's secrets: the run's (a calling job has no GITHUB_TOKEN of its own to pass on).
  const inherited = contexts['secrets'] as Record<string, string>;
  const secrets = job.inheritSecrets ? { ...inherited } : await evaluateStringMap(job.secrets, { contexts });
  for (const [name, declared] of Object.entries(called.call!.secrets)) {
    const passed = Object.keys(secrets).some((k) => k.toLowerCase() === name.toLowerCase());
    if (declared.required && !passed) {
      throw new ConfigurationError(`Secret ${name} is required by ${called.file}, but not provided while calling.`);
    }
  }
  return secrets;
}

/** Runs a list of jobs (a workflow's, or a called workflow's) in order; see run-jobs.ts. */
export type JobsRunner = (call: JobCall, jobs: readonly JobModel[]) => Promise<Record<string, JobResult>>;

/**
 * Runs the workflow a job calls: its inputs and secrets from the call, its
 * jobs capped at the calling job's permissions, then its outputs.
 * `callerContexts` are the calling job's (github, needs, inputs, vars, secrets).
 */
export async function runCalledWorkflow(
  call: JobCall,
  job: CallJob,
  callerContexts: Contexts,
  runJobs: JobsRunner,
): Promise<{ result: 'success' | 'failure'; outputs: Record<string, string>; log: string[] }> {
  const called = call.called.get(job)!;
  const { workflow } = called;
  const log = [`Calls ${job.uses} (${called.identity})`];
  let contexts: WorkflowContexts;
  try {
    const inputs = await callInputs(job, workflow, callerContexts);
    const secrets = await callSecrets(job, workflow, callerContexts);
    for (const value of Object.values(secrets)) call.run.masker.add(value);
    const github = call.contexts.github;
    const base = { github, inputs, vars: call.contexts.vars, secrets };
    contexts = { ...base, env: await evaluateStringMap(workflow.env, { contexts: base }) };
  } catch (error) {
    log.push(call.run.masker.mask(`##[error]Job '${job.id}' calls ${job.uses}: ${errorMessage(error)}`));
    return { result: 'failure', outputs: {}, log };
  }
  const inner: JobCall = {
    ...call,
    contexts,
    cap: grantedPermissions(job.permissions, call.tokens.defaults, call.cap),
    jobWorkflow: { ref: called.identity, sha: called.source.sha },
    prefix: `${call.prefix}${job.id}/`,
  };
  const results = await runJobs(inner, orderJobs(workflow.jobs));
  const failed = Object.values(results).some((r) => r.result === 'failure');
  const jobs: Record<string, Json> = {};
  for (const [id, result] of Object.entries(results)) jobs[id] = { result: result.result, outputs: result.outputs };
  const outputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(workflow.call!.outputs)) {
    try {
      const text = coerceToString(
        await evaluateToken(value, {
          contexts: { github: contexts.github, inputs: contexts.inputs, vars: contexts.vars, jobs },
        }),
      );
      outputs[name] = text;
    } catch (error) {
      log.push(call.run.masker.mask(`##[error]Output '${name}' of ${job.uses}: ${errorMessage(error)}`));
      return { result: 'failure', outputs: {}, log };
    }
  }
  return { result: failed ? 'failure' : 'success', outputs, log };
}
