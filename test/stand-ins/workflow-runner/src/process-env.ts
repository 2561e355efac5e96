// Every variable the runner gives a process, in one place. From lowest to
// highest precedence: the machine's environment, the `env` context, the
// job's GITHUB_* / RUNNER_* variables (which `env:` cannot override), the
// run's services, the scope's (GITHUB_ACTION_PATH in a composite), the
// file command paths, then what only a node action gets (INPUT_*,
// GITHUB_ACTION_PATH, the services' action-only variables).
//
// A new per-job variable goes into `runnerVariables`; a new service's
// variables come from its `RunnerService.variables` (services.ts).
import path from 'node:path';
import { inputVariableName } from '@build-release-run/contract';
import type { ActionModel } from './action-file.ts';
import type { CommandFiles } from './command-files.ts';
import type { Json } from './expressions.ts';
import type { JobState, RunEnvironment, StepScope } from './run-model.ts';

/** The variables the runner sets for one job, by who receives them. */
export interface JobVariables {
  /** Every process of the job: `run:` steps and actions. */
  all: Record<string, string>;
  /**
   * Actions only, not `run:` scripts: the runner hands the runtime token and
   * service URLs (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL, ...) to
   * actions, which is why a script needs an action to reach them.
   */
  actions: Record<string, string>;
}

/** Where one job's folders are. */
export interface JobFolders {
  workspace: string;
  temp: string;
  toolCache: string;
}

/** GITHUB_* and RUNNER_* of a job, from the `github` context the job's expressions see. */
export function runnerVariables(
  github: Record<string, Json>,
  jobId: string,
  folders: JobFolders,
): Record<string, string> {
  const g = (name: string): string => String(github[name] ?? '');
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: folders.workspace,
    GITHUB_REPOSITORY: g('repository'),
    GITHUB_REPOSITORY_OWNER: g('repository_owner'),
    GITHUB_SHA: g('sha'),
    GITHUB_REF: g('ref'),
    GITHUB_REF_NAME: g('ref_name'),
    GITHUB_REF_TYPE: g('ref_type'),
    GITHUB_RUN_ID: g('run_id'),
    GITHUB_RUN_NUMBER: g('run_number'),
    GITHUB_RUN_ATTEMPT: g('run_attempt'),
    GITHUB_ACTOR: g('actor'),
    GITHUB_TRIGGERING_ACTOR: g('triggering_actor'),
    GITHUB_EVENT_NAME: g('event_name'),
    GITHUB_EVENT_PATH: g('event_path'),
    GITHUB_JOB: jobId,
    GITHUB_WORKFLOW: g('workflow'),
    GITHUB_WORKFLOW_REF: g('workflow_ref'),
    GITHUB_SERVER_URL: g('server_url'),
    GITHUB_API_URL: g('api_url'),
    GITHUB_GRAPHQL_URL: g('graphql_url'),
    GITHUB_RETENTION_DAYS: g('retention_days'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'local',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: folders.temp,
    RUNNER_TOOL_CACHE: folders.toolCache,
  };
}

// `INPUT_<NAME>` as the runner names it: the contract's rule, the one @actions/core reads by.
export { inputVariableName };

/** What a node action's process gets beyond a script's: its inputs, its folder, the services' action variables. */
export function nodeActionVariables(
  job: JobState,
  action: ActionModel,
  inputs: Record<string, string>,
): Record<string, string> {
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVariableName(k), v]));
  const origin: Record<string, string> = action.origin
    ? { GITHUB_ACTION_REPOSITORY: action.origin.repository, GITHUB_ACTION_REF: action.origin.ref }
    : {};
  return { ...job.variables.actions, ...inputEnv, ...origin, GITHUB_ACTION_PATH: action.dir };
}

/** The environment of one process of a step. */
export function processEnv(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  envContext: Record<string, string>,
  files: CommandFiles,
  stepId: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    ...run.machine.baseEnv,
    ...envContext,
    ...job.variables.all,
    ...scope.extraEnv,
    ...files,
    GITHUB_ACTION: stepId,
    ...extra,
  };
  const basePath = envContext['PATH'] ?? run.machine.baseEnv['PATH'] ?? '';
  env['PATH'] = [...job.pathPrepends, basePath].filter((p) => p !== '').join(path.delimiter);
  return env;
}
