/**
 * Every input and the workflow context, read and validated once, before
 * anything is fetched: a mistake here changes nothing anywhere.
 */
import { readdir, stat } from 'node:fs/promises';
import { DEADLINE_INPUT, parseDeadlineMinutes } from '@build-release-run/action-kit';
import {
  ConfigurationError,
  type Digest,
  ENVIRONMENT_NAME,
  type RunContext,
  TAG_NAME,
  isEnvironmentName,
  isTagName,
  nameError,
  parseDigest,
  quoteRefused,
  resolveInputPath,
} from '@build-release-run/contract';
import type { CredentialInputs } from '@build-release-run/registry';
import { type TarLimits, parseEntryLimit, parseSizeLimit } from '@build-release-run/unpack';
import { type TrustInputs, readRegistryInputs, readTrustInputs } from '@build-release-run/release-verify';
import { parseConfigEnvInput } from './command-env.ts';

export type TagRequest =
  | { kind: 'tag'; tag: string }
  /** `latest` never resolves to a draft or a pre-release; `latest-prerelease` asks for pre-releases too. */
  | { kind: 'latest'; prereleases: boolean }
  | { kind: 'previous' }
  | { kind: 'current' };

export interface DeployInputs {
  tag: TagRequest;
  /** The deploy target: required, never taken from the release; the release must have been made for it. */
  environment: string;
  run: string;
  /** Input 'config-env': the config keys the command gets as environment variables (nothing else from the release). */
  configEnv: string[];
  /** Absolute; undefined: a fresh folder under the runner's temp. */
  directory: string | undefined;
  environmentUrl: string | undefined;
  token: string;
  /** The unpacker's caps (archive bombs). */
  limits: TarLimits;
  /** Input 'digest': the only build this deploy may run; undefined: the release's own. */
  expectedDigest: Digest | undefined;
  /** `registry-username` / `registry-password`, for an image release's registry. */
  registry: CredentialInputs;
  /** Inputs 'allow-mutable-release', 'verify-provenance', 'build-signer', 'release-signer', 'source-ref'. */
  trust: TrustInputs;
  /** Input 'deadline-minutes': the whole deploy, the command included. */
  deadlineMinutes: number;
}

/** The deploy runs the user's command too: an hour unless the workflow says otherwise. */
export const DEFAULT_DEADLINE_MINUTES = 60;

/** The run, read by the contract's one reader (the same defaults as build and release). */
export type DeployContext = RunContext;

export type ReadInput = (name: string) => string;

export { readRunContext as readContext } from '@build-release-run/contract';

export async function readInputs(read: ReadInput, context: DeployContext): Promise<DeployInputs> {
  const tag = readTag(read);
  const environment = readEnvironment(read);
  const run = read('run');
  if (run.trim() === '') {
    throw new ConfigurationError(
      "Input 'run' is empty: give the deploy command (run with bash in the unpacked build), e.g. './deploy.sh'.",
    );
  }
  const directory = await readDirectory(read, context);
  const environmentUrl = readEnvironmentUrl(read);
  const token = read('token').trim();
  if (token === '') {
    throw new ConfigurationError(
      "Input 'token' is empty: leave it unset to use the job's GITHUB_TOKEN (with 'permissions: deployments: write'), or pass a token.",
    );
  }
  const limits: TarLimits = {
    maxEntries: parseEntryLimit('max-entries', read('max-entries')),
    maxBytes: parseSizeLimit('max-unpacked-size', read('max-unpacked-size')),
  };
  const digestText = read('digest').trim();
  return {
    tag,
    environment,
    run,
    configEnv: parseConfigEnvInput(read('config-env')),
    directory,
    environmentUrl,
    token,
    limits,
    trust: readTrustInputs(read),
    expectedDigest: digestText === '' ? undefined : parseDigest(digestText, 'digest'),
    registry: readRegistryInputs(read),
    deadlineMinutes: parseDeadlineMinutes(read(DEADLINE_INPUT), DEFAULT_DEADLINE_MINUTES),
  };
}

/** Input 'tag': a release tag, or 'latest', 'latest-prerelease', 'previous', 'current'. */
function readTag(read: ReadInput): TagRequest {
  const text = read('tag').trim();
  if (text === '') {
    throw new ConfigurationError(
      "Input 'tag' is required: give a release tag (e.g. v3), 'latest', 'previous' to roll back, or 'current' to redeploy what is live.",
    );
  }
  if (text === 'latest' || text === 'latest-prerelease')
    return { kind: 'latest', prereleases: text === 'latest-prerelease' };
  if (text === 'previous' || text === 'current') return { kind: text };
  if (isTagName(text)) return { kind: 'tag', tag: text };
  throw new ConfigurationError(
    `${nameError(TAG_NAME, text, "Input 'tag'")} Or give 'latest', 'previous' or 'current'.`,
  );
}

/** Input 'environment': required, never the release's own (a misspelt input would deploy whatever a release names). */
function readEnvironment(read: ReadInput): string {
  const environment = read('environment').trim();
  if (environment === '') {
    throw new ConfigurationError(
      "Input 'environment' is required: name the environment to deploy to (e.g. 'environment: production'), the one the deploy job runs under. It is never taken from the release.",
    );
  }
  if (!isEnvironmentName(environment)) {
    throw new ConfigurationError(nameError(ENVIRONMENT_NAME, environment, "Input 'environment'"));
  }
  return environment;
}

/** Input 'directory': in the workspace or the runner's temp, new or empty; undefined: a fresh folder. */
async function readDirectory(read: ReadInput, context: DeployContext): Promise<string | undefined> {
  const given = read('directory').trim();
  if (given === '') return undefined;
  const directory = resolveInputPath({
    inputName: 'directory',
    given,
    base: context.workspace,
    roots: [
      { path: context.workspace, name: 'the workspace' },
      { path: context.runnerTemp, name: "the runner's temp folder" },
    ],
  });
  await checkDirectory(directory, given);
  return directory;
}

/**
 * Input 'environment-url': the URL as the WHATWG parser serializes it: ASCII
 * only (a character a renderer draws as nothing, such as U+200B, is
 * percent-encoded in the path and mapped away in the host), so the deployment
 * records, and the summary shows, where the link really goes. GitHub's
 * description of the field is a URI. Undefined: none.
 */
function readEnvironmentUrl(read: ReadInput): string | undefined {
  const given = read('environment-url').trim();
  if (given === '') return undefined;
  let url: URL | undefined;
  try {
    url = /^https?:\/\/[^\s]+$/.test(given) ? new URL(given) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined) {
    throw new ConfigurationError(
      `Input 'environment-url' must be an http(s) URL; got ${quoteRefused(given)}. Leave it empty to record none.`,
    );
  }
  return url.href;
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
