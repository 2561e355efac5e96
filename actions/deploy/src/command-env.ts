/**
 * The environment the deploy command runs with. Pure: the job's environment
 * goes in, the command's comes out, with the names of missing secrets.
 */
import type { ReleaseConfig } from '@build-release-run/release-format';
import { maskedValues } from './redactor.ts';

/**
 * What the runner gives a node action and not a `run:` step (actions/runner:
 * NodeScriptActionHandler and ActionRunner set these; ScriptHandler does not):
 * the Actions runtime's token and service URLs, the action's inputs and
 * saved state, and the action's own repository and path. A `run:` step does
 * get ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN (with `id-token: write`) and
 * ACTIONS_ORCHESTRATION_ID, so those stay.
 */
const ACTION_ONLY_NAMES = new Set([
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_CACHE_MODE',
  'GITHUB_ACTION_PATH',
  'GITHUB_ACTION_REPOSITORY',
  'GITHUB_ACTION_REF',
]);
const ACTION_ONLY_PREFIXES = ['INPUT_', 'STATE_'];

/** True for a variable the runner sets only for actions (see ACTION_ONLY_NAMES). */
export function isActionOnly(name: string): boolean {
  return ACTION_ONLY_NAMES.has(name) || ACTION_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix));
}

export interface ReleaseFacts {
  tag: string;
  version: string;
  digest: string;
  directory: string;
  environment: string;
  /** The folder holding the release's attached files (empty when none are attached). */
  assetsDir: string;
  /** An image release: `<registry>/<repository>@sha256:…`, given as RELEASE_IMAGE. */
  image?: string | undefined;
}

export interface CommandEnvironment {
  env: Record<string, string>;
  /** Values to mask and to redact from the command's output. */
  secretValues: string[];
}

/** Secret keys the job does not provide (unset or empty: an unset `secrets.X` expands to ''). */
export function missingSecrets(secretKeys: readonly string[], jobEnv: NodeJS.ProcessEnv): string[] {
  return secretKeys.filter((key) => (jobEnv[key] ?? '') === '');
}

/** Every value to mask and redact: each secret, and each line of a multi-line one. */
export function secretValues(secretKeys: readonly string[], jobEnv: NodeJS.ProcessEnv): string[] {
  return maskedValues(secretKeys.map((key) => jobEnv[key] ?? ''));
}

/**
 * What a `run:` step of the job would see (the job's environment minus what
 * the runner gives only to actions: the runtime token, INPUT_* holding our
 * token, …), then the release's config, its secrets from the job, and the
 * RELEASE_* facts. Config never sets a reserved name: deploy refuses such a
 * release before this is called (assertNoReservedKeys).
 */
export function commandEnvironment(
  jobEnv: NodeJS.ProcessEnv,
  config: ReleaseConfig,
  facts: ReleaseFacts,
): CommandEnvironment {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(jobEnv)) {
    if (value !== undefined && !isActionOnly(key)) env[key] = value;
  }
  Object.assign(env, config.values);
  for (const key of config.secretKeys) env[key] = jobEnv[key] ?? '';
  Object.assign(env, {
    RELEASE_TAG: facts.tag,
    RELEASE_VERSION: facts.version,
    RELEASE_DIGEST: facts.digest,
    RELEASE_DIR: facts.directory,
    RELEASE_ENVIRONMENT: facts.environment,
    RELEASE_ASSETS_DIR: facts.assetsDir,
    ...(facts.image === undefined ? {} : { RELEASE_IMAGE: facts.image }),
  });
  return { env, secretValues: secretValues(config.secretKeys, jobEnv) };
}
