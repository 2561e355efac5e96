/**
 * Every input and the workflow context, read and validated once, up front,
 * before anything touches GitHub: a mistake here creates nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, type Digest, parseDigest } from '@build-release-run/contract';
import { type AttestMode, parseAttestMode } from '@build-release-run/provenance';
import { type ConfigEntry, parseConfigText, parseSecretKeys } from './config-input.ts';
import { type VersionRequest, parsePreid, parseVersionInput } from './versioning.ts';

export interface ReleaseInputs {
  digest: Digest;
  /** A path to the archive, or undefined: take the single file in artifactPath. */
  archive: string | undefined;
  artifactPath: string | undefined;
  version: VersionRequest;
  environment: string;
  configEntries: ConfigEntry[];
  secretKeys: string[];
  token: string;
  commit: string;
  /** Retries of a GitHub call that failed transiently (5xx, reset, rate limit). */
  maxRetries: number;
  attest: AttestMode;
}

export interface WorkflowContext {
  repository: string;
  ref: string;
  runId: string;
  runAttempt: string;
  actor: string;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
}

export type ReadInput = (name: string) => string;

const COMMIT = /^[0-9a-f]{40}$/;

export function readContext(env: NodeJS.ProcessEnv): WorkflowContext {
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigurationError(`${name} is not set; this action runs inside a GitHub Actions job.`);
    return value;
  };
  const repository = need('GITHUB_REPOSITORY');
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    throw new ConfigurationError(`GITHUB_REPOSITORY must be owner/name; got '${repository}'.`);
  }
  return {
    repository,
    ref: env.GITHUB_REF?.trim() || 'unknown',
    runId: need('GITHUB_RUN_ID'),
    runAttempt: env.GITHUB_RUN_ATTEMPT?.trim() || '1',
    actor: env.GITHUB_ACTOR?.trim() || 'unknown',
    serverUrl: (env.GITHUB_SERVER_URL?.trim() || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL?.trim() || 'https://api.github.com').replace(/\/+$/, ''),
    workspace: env.GITHUB_WORKSPACE?.trim() || process.cwd(),
  };
}

export async function readInputs(read: ReadInput, env: NodeJS.ProcessEnv, workspace: string): Promise<ReleaseInputs> {
  const digestText = read('digest');
  if (digestText.trim() === '') {
    throw new ConfigurationError(
      "Input 'digest' is required: pass the build action's 'digest' output (needs.<build job>.outputs.digest).",
    );
  }
  const digest = parseDigest(digestText, 'digest');
  const version = parseVersionInput(read('version'), 'version', parsePreid(read('preid'), 'preid'));

  const environment = read('environment').trim() || 'production';
  if (environment.length > 255 || /["<>`]/.test(environment) || [...environment].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new ConfigurationError(
      `Input 'environment' must be a deploy target name (up to 255 characters, no quotes, angle brackets or control characters); got '${environment.slice(0, 60)}'.`,
    );
  }

  const configFile = read('config-file').trim();
  const configEntries = parseConfigText(read('config'), "Input 'config'");
  if (configFile !== '') {
    const file = path.resolve(workspace, configFile);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigurationError(
        `Input 'config-file': cannot read '${configFile}' (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a path relative to the workspace.`,
      );
    }
    configEntries.unshift(...parseConfigText(text, `Input 'config-file' (${configFile})`));
  }
  const secretKeys = parseSecretKeys(read('secret-keys'), 'secret-keys');

  const token = read('token').trim();
  if (token === '') {
    throw new ConfigurationError(
      "Input 'token' is empty: leave it unset to use the job's GITHUB_TOKEN, or pass a token that can write contents.",
    );
  }

  const commit = (read('commit').trim() || env.GITHUB_SHA?.trim() || '').toLowerCase();
  if (!COMMIT.test(commit)) {
    throw new ConfigurationError(
      `Input 'commit' must be the 40-hex SHA of the built commit (default: GITHUB_SHA); got '${commit.slice(0, 60)}'.`,
    );
  }

  const retriesText = read('max-retries').trim() || '5';
  if (!/^\d{1,2}$/.test(retriesText)) {
    throw new ConfigurationError(
      `Input 'max-retries' must be a whole number from 0 to 99; got '${retriesText.slice(0, 20)}'.`,
    );
  }

  const archive = read('archive').trim();
  const artifactPath = read('artifact-path').trim();
  return {
    digest,
    archive: archive === '' ? undefined : path.resolve(workspace, archive),
    artifactPath: artifactPath === '' ? undefined : path.resolve(workspace, artifactPath),
    version,
    environment,
    configEntries,
    secretKeys,
    token,
    commit,
    maxRetries: Number(retriesText),
    attest: parseAttestMode(read('attest')),
  };
}
