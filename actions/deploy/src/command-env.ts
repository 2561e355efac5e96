/**
 * The environment the deploy command runs with. Pure: the job's environment
 * goes in, the command's comes out, with the values to mask.
 *
 * The deploy command is the deployer (make, rsync, kubectl), not the app, so
 * it does not run inside the app's environment: the release's config reaches
 * it as data, in the file RELEASE_CONFIG_FILE, and only the keys the workflow
 * lists in input `config-env` become environment variables. No list of names
 * that are dangerous as variables can be complete (MAKEFILES, TAR_OPTIONS,
 * RSYNC_RSH, GOENV, JAVA_OPTS, DOCKER_HOST, …: docs/security.md), so the
 * defence is the list the workflow author writes, not one we keep.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { type ReleaseConfig, configKeyProblem } from '@build-release-run/release-format';
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
  /** The release's verified config in the config.env format, given as RELEASE_CONFIG_FILE. */
  configFile: string;
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
 * Input `config-env`: config key names, separated by commas, spaces or new
 * lines. Each must be a name a config may carry (the reserved-name rule, so
 * `config-env: LD_PRELOAD` is refused with the reason the list gives); the
 * list itself is the defence, the rule only explains.
 */
export function parseConfigEnvInput(text: string): string[] {
  const names = text.split(/[\s,]+/).filter((name) => name !== '');
  names.forEach((name, index) => {
    const problem = configKeyProblem(name);
    if (problem !== undefined) {
      throw new ConfigurationError(
        `Input 'config-env', name ${index + 1}: ${problem} List the config keys the deploy command needs as environment variables, separated by commas or new lines.`,
      );
    }
  });
  return [...new Set(names)];
}

/**
 * A key in `config-env` that the release's config does not have is a
 * mistake in the workflow or the wrong release: refused before anything is
 * created or run, naming the key and the release.
 */
export function refuseUnknownConfigEnv(
  names: readonly string[],
  release: { tag: string; keys: readonly string[]; secretKeys: readonly string[] },
): void {
  const known = new Set([...release.keys, ...release.secretKeys]);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  const has =
    release.keys.length + release.secretKeys.length === 0
      ? 'no config keys'
      : `the keys ${[...known].sort().join(', ')}`;
  throw new ConfigurationError(
    `Input 'config-env' names ${unknown.join(', ')}, which ${release.tag}'s config does not have (it has ${has}). ` +
      `Remove ${unknown.length === 1 ? 'it' : 'them'} from 'config-env', or release a config that sets ${unknown.length === 1 ? 'it' : 'them'}.`,
  );
}

/**
 * Exactly what a `run:` step of the job would see (the job's environment
 * minus what the runner gives only to actions: the runtime token, INPUT_*
 * holding our token, …), then the RELEASE_* facts, then the keys listed in
 * `config-env` with their values from the release's config (a secret key's
 * from the job, where the workflow put it). Nothing else from the release.
 */
export function commandEnvironment(
  jobEnv: NodeJS.ProcessEnv,
  config: ReleaseConfig,
  facts: ReleaseFacts,
  configEnv: readonly string[],
): CommandEnvironment {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(jobEnv)) {
    if (value !== undefined && !isActionOnly(key)) env[key] = value;
  }
  Object.assign(env, {
    RELEASE_TAG: facts.tag,
    RELEASE_VERSION: facts.version,
    RELEASE_DIGEST: facts.digest,
    RELEASE_DIR: facts.directory,
    RELEASE_ENVIRONMENT: facts.environment,
    RELEASE_ASSETS_DIR: facts.assetsDir,
    RELEASE_CONFIG_FILE: facts.configFile,
    ...(facts.image === undefined ? {} : { RELEASE_IMAGE: facts.image }),
  });
  for (const key of configEnv) {
    const value = Object.hasOwn(config.values, key) ? config.values[key] : jobEnv[key];
    // refuseUnknownConfigEnv ran before anything was created; this is a bug if it fires.
    if (value === undefined) throw new Error(`config-env key ${key} has no value in the release or the job.`);
    env[key] = value;
  }
  return { env, secretValues: secretValues(config.secretKeys, jobEnv) };
}
