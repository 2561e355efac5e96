/**
 * Every input and the workflow context, read and validated once, before
 * anything is fetched: a mistake here changes nothing anywhere.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, type Digest, parseDigest } from '@build-release-run/contract';

export type TagRequest = { kind: 'tag'; tag: string } | { kind: 'latest' } | { kind: 'previous' };

export interface DeployInputs {
  tag: TagRequest;
  /** Undefined: the release's own. */
  environment: string | undefined;
  run: string;
  /** Absolute; undefined: a fresh folder under the runner's temp. */
  directory: string | undefined;
  environmentUrl: string | undefined;
  token: string;
  /** Input 'allow-mutable-release': deploy releases GitHub does not mark immutable. */
  allowMutableRelease: boolean;
  /** Input 'digest': the only build this deploy may run; undefined: the release's own. */
  expectedDigest: Digest | undefined;
  /** Input 'deadline-minutes', in milliseconds. */
  deadlineMs: number;
}

export interface DeployContext {
  repository: string;
  runId: string;
  runAttempt: string;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  runnerTemp: string;
}

export type ReadInput = (name: string) => string;

export function readContext(env: NodeJS.ProcessEnv): DeployContext {
  const repository = env['GITHUB_REPOSITORY']?.trim() ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    throw new ConfigurationError(
      `GITHUB_REPOSITORY must be owner/name (got '${repository}'); this action runs inside a GitHub Actions job.`,
    );
  }
  const workspace = env['GITHUB_WORKSPACE']?.trim() || process.cwd();
  return {
    repository,
    runId: env['GITHUB_RUN_ID']?.trim() || '0',
    runAttempt: env['GITHUB_RUN_ATTEMPT']?.trim() || '1',
    serverUrl: (env['GITHUB_SERVER_URL']?.trim() || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env['GITHUB_API_URL']?.trim() || 'https://api.github.com').replace(/\/+$/, ''),
    workspace,
    runnerTemp: env['RUNNER_TEMP']?.trim() || path.join(workspace, '..', '_temp'),
  };
}

// Git's rules for a ref name, reduced to what a release tag may hold.
const TAG_PATTERN = /^(?!.*\.\.)(?!.*@\{)(?!\.)[^\s~^:?*[\\]{1,200}(?<![./]|\.lock)$/;
const ENVIRONMENT_PATTERN = /^[^"<>`]{1,255}$/;

function hasControlCharacter(value: string): boolean {
  return [...value].some((char) => char < ' ' || char === '\u007f');
}

export async function readInputs(read: ReadInput, context: DeployContext): Promise<DeployInputs> {
  const tagText = read('tag').trim();
  let tag: TagRequest;
  if (tagText === '') {
    throw new ConfigurationError(
      "Input 'tag' is required: give a release tag (e.g. v3), 'latest', or 'previous' to roll back.",
    );
  } else if (tagText === 'latest' || tagText === 'previous') {
    tag = { kind: tagText };
  } else if (TAG_PATTERN.test(tagText) && !hasControlCharacter(tagText)) {
    tag = { kind: 'tag', tag: tagText };
  } else {
    throw new ConfigurationError(
      `Input 'tag' is '${tagText.slice(0, 80)}', which is not a valid tag name; give a release tag (e.g. v3), 'latest' or 'previous'.`,
    );
  }

  const environmentText = read('environment').trim();
  if (environmentText !== '' && (!ENVIRONMENT_PATTERN.test(environmentText) || hasControlCharacter(environmentText))) {
    throw new ConfigurationError(
      `Input 'environment' must be a deploy target name (up to 255 characters, no quotes, angle brackets or control characters); got '${environmentText.slice(0, 60)}'.`,
    );
  }
  if (tag.kind === 'previous' && environmentText === '') {
    throw new ConfigurationError(
      "Input 'environment' is required with tag 'previous': name the environment to roll back (e.g. production).",
    );
  }

  const run = read('run');
  if (run.trim() === '') {
    throw new ConfigurationError(
      "Input 'run' is empty: give the deploy command (run with bash in the unpacked build), e.g. './deploy.sh'.",
    );
  }

  const directoryText = read('directory').trim();
  const directory = directoryText === '' ? undefined : path.resolve(context.workspace, directoryText);
  if (directory !== undefined) await checkDirectory(directory, directoryText);

  const environmentUrl = read('environment-url').trim();
  if (environmentUrl !== '' && !/^https?:\/\/[^\s]+$/.test(environmentUrl)) {
    throw new ConfigurationError(
      `Input 'environment-url' must be an http(s) URL; got '${environmentUrl.slice(0, 80)}'. Leave it empty to record none.`,
    );
  }

  const token = read('token').trim();
  if (token === '') {
    throw new ConfigurationError(
      "Input 'token' is empty: leave it unset to use the job's GITHUB_TOKEN (with 'permissions: deployments: write'), or pass a token.",
    );
  }

  const digestText = read('digest').trim();
  return {
    tag,
    environment: environmentText === '' ? undefined : environmentText,
    run,
    directory,
    environmentUrl: environmentUrl === '' ? undefined : environmentUrl,
    token,
    allowMutableRelease: readBoolean(read, 'allow-mutable-release'),
    expectedDigest: digestText === '' ? undefined : parseDigest(digestText, 'digest'),
    deadlineMs: readDeadline(read),
  };
}

/** YAML 1.2 core schema booleans, as @actions/core's getBooleanInput reads them; empty is false. */
function readBoolean(read: ReadInput, name: string): boolean {
  const text = read(name).trim();
  if (['', 'false', 'False', 'FALSE'].includes(text)) return false;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  throw new ConfigurationError(`Input '${name}' must be true or false; got ${JSON.stringify(text.slice(0, 40))}.`);
}

export const DEFAULT_DEADLINE_MINUTES = 30;

/** Input 'deadline-minutes': a positive number of minutes (fractions allowed), at most a day. */
function readDeadline(read: ReadInput): number {
  const text = read('deadline-minutes').trim();
  const minutes = text === '' ? DEFAULT_DEADLINE_MINUTES : Number(text);
  if (!/^(\d+(\.\d+)?)?$/.test(text) || !(minutes > 0) || minutes > 1440) {
    throw new ConfigurationError(
      `Input 'deadline-minutes' must be a number of minutes above 0 and at most 1440 (e.g. ${DEFAULT_DEADLINE_MINUTES}); got ${JSON.stringify(text.slice(0, 40))}.`,
    );
  }
  return Math.round(minutes * 60_000);
}

/** The unpack folder must be new or an empty folder: a stale file must never pass for part of a release. */
async function checkDirectory(directory: string, given: string): Promise<void> {
  const stats = await stat(directory).catch(() => undefined);
  if (stats === undefined) return;
  if (!stats.isDirectory()) {
    throw new ConfigurationError(
      `Input 'directory' is '${given}', which exists and is not a folder. Name a new or empty folder to unpack the release into.`,
    );
  }
  if ((await readdir(directory)).length > 0) {
    throw new ConfigurationError(
      `Input 'directory' is '${given}', which is not empty. Name a new or empty folder, so no stale file passes for part of the release.`,
    );
  }
}
