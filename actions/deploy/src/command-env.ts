/**
 * The environment the deploy command runs with. Pure: the job's environment
 * goes in, the command's comes out, with the names of missing secrets.
 */
import type { ReleaseConfig } from '@build-release-run/release-format';

export interface ReleaseFacts {
  tag: string;
  version: string;
  digest: string;
  directory: string;
  environment: string;
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

export function secretValues(secretKeys: readonly string[], jobEnv: NodeJS.ProcessEnv): string[] {
  return secretKeys.map((key) => jobEnv[key] ?? '').filter((value) => value !== '');
}

/**
 * The job's environment (minus the action's own INPUT_* variables, which hold
 * the token), then the release's config, its secrets from the job, and the
 * RELEASE_* facts. Later entries win: config over job, RELEASE_* over all.
 */
export function commandEnvironment(
  jobEnv: NodeJS.ProcessEnv,
  config: ReleaseConfig,
  facts: ReleaseFacts,
): CommandEnvironment {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(jobEnv)) {
    if (value !== undefined && !key.startsWith('INPUT_')) env[key] = value;
  }
  Object.assign(env, config.values);
  for (const key of config.secretKeys) env[key] = jobEnv[key] ?? '';
  Object.assign(env, {
    RELEASE_TAG: facts.tag,
    RELEASE_VERSION: facts.version,
    RELEASE_DIGEST: facts.digest,
    RELEASE_DIR: facts.directory,
    RELEASE_ENVIRONMENT: facts.environment,
  });
  return { env, secretValues: secretValues(config.secretKeys, jobEnv) };
}
