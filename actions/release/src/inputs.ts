/**
 * Every input and the workflow context, read and validated once, up front,
 * before anything touches GitHub: a mistake here creates nothing.
 */
import { readFile } from 'node:fs/promises';
import { DEADLINE_INPUT, type InputReader, parseDeadlineMinutes } from '@build-release-run/action-kit';
import {
  ConfigurationError,
  type Digest,
  ENVIRONMENT_NAME,
  type RunContext,
  BUILDER_WORKFLOW,
  TAG_NAME,
  checkName,
  parseDigest,
  resolveInputPath,
  runnerTempRoot,
  workspaceRoot,
} from '@build-release-run/contract';
import { type AttestMode, parseAttestMode } from '@build-release-run/provenance';
import { type TrustInputs, readRegistryInputs, readTrustInputs } from '@build-release-run/release-verify';
import type { FromReleaseInputs } from './from-release.ts';
import { type AttachedFile, readAttachInput } from './attach-input.ts';
import { type ConfigEntry, parseConfigText, parseSecretKeys } from './config-input.ts';
import { type ImageInput, readImageInput } from './image-build.ts';
import { parseConfigReset } from './config-guard.ts';
import { type MakeLatestChoice, parseMakeLatest, parsePrerelease } from './publish-options.ts';
import { type VersionRequest, parsePreid, parseVersionInput } from './versioning.ts';

export interface ReleaseInputs {
  /** Undefined only with `from-release` (the source's build, checked against `digest` when given). */
  digest: Digest | undefined;
  /** Input 'builder': the reusable build workflow that built and signed `digest` (release.json build.builder). */
  builder: string | undefined;
  /** Input `from-release`: promote that release's build; the trust inputs say which releases are accepted. */
  fromRelease: FromReleaseInputs | undefined;
  /** A path to the archive, or undefined: download the build artifact. */
  archive: string | undefined;
  version: VersionRequest;
  environment: string;
  configEntries: ConfigEntry[];
  secretKeys: string[];
  token: string;
  commit: string;
  /** Retries of a GitHub call that failed transiently (5xx, reset, rate limit). */
  maxRetries: number;
  attest: AttestMode;
  /** The `image` input (an image build taken from its registry), when given. */
  image: ImageInput | undefined;
  /** Input 'deadline-minutes': the whole release, the archive's download included. */
  deadlineMinutes: number;
  makeLatest: MakeLatestChoice;
  /** The environment whose releases take the Latest badge under `make-latest: auto`. */
  latestEnvironment: string;
  prerelease: boolean | 'auto';
  /** The workflow means to drop every config key of the previous release. */
  configReset: boolean;
  /** Inputs `notes` and `notes-file`, joined; shown as plain text. */
  notes: string;
  /** Input `attach`: files released beside the build, sorted by name. */
  attach: AttachedFile[];
  /** Input 'allow-mutable-release': accept mutable releases, a promoted source and the release made here. */
  allowMutableRelease: boolean;
}

/** GitHub caps a release body at 125,000 characters; the facts need the rest. */
const MAX_NOTES = 20_000;

/** A release moves bytes and makes a dozen calls: half an hour is ample unless GitHub stalls. */
export const DEFAULT_DEADLINE_MINUTES = 30;

/** The run, read by the contract's one reader (the same defaults as build and deploy). */
export type WorkflowContext = RunContext;

const COMMIT = /^[0-9a-f]{40}$/;

export { readRunContext as readContext } from '@build-release-run/contract';

/**
 * Every input, each by the reader of its concern, in the order a user's
 * mistakes are reported: the build, the version and environment, the config,
 * the notes, the token and commit, then how the release is made and shown.
 */
export async function readInputs(read: InputReader, context: RunContext): Promise<ReleaseInputs> {
  const build = readBuildChoice(read);
  const version = parseVersionInput(read('version'), 'version', parsePreid(read('preid'), 'preid'), context.ref);
  const environment = readEnvironment(read);
  const config = await readConfigInputs(read, context.workspace);
  const notes = await readNotes(read, context.workspace);
  const token = readToken(read);
  const commit = readCommit(read, context, build.fromTag);
  const maxRetries = readMaxRetries(read);
  return {
    ...readBuildSource(read, context, build, token),
    version,
    environment,
    ...config,
    token,
    commit,
    maxRetries,
    attest: parseAttestMode(read('attest')),
    deadlineMinutes: parseDeadlineMinutes(read(DEADLINE_INPUT), DEFAULT_DEADLINE_MINUTES),
    ...readPublishChoices(read),
    configReset: parseConfigReset(read('config-reset')),
    notes,
    attach: await readAttachInput(read('attach'), context.workspace),
    allowMutableRelease: build.trust.allowMutableRelease,
  };
}

/** Inputs `digest` and `from-release`: the build to release, by its digest or from a release (then alone). */
interface BuildChoice {
  digest: Digest | undefined;
  /** '' unless `from-release` is given. */
  fromTag: string;
  trust: TrustInputs;
}

function readBuildChoice(read: InputReader): BuildChoice {
  const digestText = read('digest').trim();
  const fromTag = read('from-release').trim();
  const trust = readTrustInputs(read);
  if (fromTag !== '') {
    checkName(TAG_NAME, fromTag, 'from-release');
    for (const other of ['archive', 'image', 'commit', 'builder']) {
      if (read(other).trim() !== '') {
        throw new ConfigurationError(
          `Inputs 'from-release' and '${other}' are both set: 'from-release' takes the build (the commit it was built from, and its builder) from that release, so give one or the other.`,
        );
      }
    }
  }
  if (digestText === '' && fromTag === '') {
    throw new ConfigurationError(
      "Input 'digest' is required: pass the build action's 'digest' output (needs.<build job>.outputs.digest).",
    );
  }
  return { digest: digestText === '' ? undefined : parseDigest(digestText, 'digest'), fromTag, trust };
}

/** Where the chosen build's bytes come from: `from-release`, `archive`, `image` (with its registry login), or the artifact. */
function readBuildSource(
  read: InputReader,
  context: RunContext,
  { digest, fromTag, trust }: BuildChoice,
  token: string,
): Pick<ReleaseInputs, 'digest' | 'builder' | 'fromRelease' | 'archive' | 'image'> {
  if (fromTag !== '') {
    return {
      digest,
      builder: undefined,
      fromRelease: { tag: fromTag, expectedDigest: digest, trust, registry: readRegistryInputs(read) },
      archive: undefined,
      image: undefined,
    };
  }
  if (read('registry').trim() !== '') {
    throw new ConfigurationError(
      "Input 'registry' is for 'from-release' (the registry the promoted release names); with 'image' the credentials are for that image's registry: remove 'registry'.",
    );
  }
  const archive = read('archive').trim();
  // Not undefined: readBuildChoice requires 'digest' without 'from-release'.
  const image = readImageInput(read, digest as Digest, archive, context.actor, token);
  const builder = read('builder').trim();
  return {
    digest,
    builder: builder === '' ? undefined : checkName(BUILDER_WORKFLOW, builder, 'builder'),
    fromRelease: undefined,
    // The build action's `archive` output lies in the runner's temp folder (build and release in one job).
    archive:
      archive === ''
        ? undefined
        : resolveInputPath({
            inputName: 'archive',
            given: archive,
            base: context.workspace,
            roots: [workspaceRoot(context.workspace), runnerTempRoot(context.runnerTemp)],
          }),
    image,
  };
}

function readEnvironment(read: InputReader): string {
  const text = read('environment').trim();
  if (text === '') {
    throw new ConfigurationError(
      "Input 'environment' is required: every release is one environment's config, and its previous release, config diff and deploys are that environment's. Name the deploy target, e.g. 'environment: staging'.",
    );
  }
  return checkName(ENVIRONMENT_NAME, text, 'environment');
}

/** Inputs `config-file` (first) and `config`, and `secret-keys`. */
async function readConfigInputs(
  read: InputReader,
  workspace: string,
): Promise<Pick<ReleaseInputs, 'configEntries' | 'secretKeys'>> {
  const configFile = read('config-file').trim();
  const configEntries = parseConfigText(read('config'), "Input 'config'");
  if (configFile !== '') {
    const text = await readWorkspaceFile('config-file', configFile, workspace);
    configEntries.unshift(...parseConfigText(text, `Input 'config-file' (${configFile})`));
  }
  return { configEntries, secretKeys: parseSecretKeys(read('secret-keys'), 'secret-keys') };
}

/** Inputs `notes` and `notes-file`, joined. */
async function readNotes(read: InputReader, workspace: string): Promise<string> {
  const notesFile = read('notes-file').trim();
  const fromFile = notesFile === '' ? '' : (await readWorkspaceFile('notes-file', notesFile, workspace)).trim();
  const notes = [read('notes').trim(), fromFile].filter((part) => part !== '').join('\n\n');
  if (notes.length > MAX_NOTES) {
    throw new ConfigurationError(
      `Inputs 'notes' and 'notes-file' hold ${notes.length} characters; at most ${MAX_NOTES} fit in a release's notes beside its facts. Shorten them, or attach the full text as a file.`,
    );
  }
  return notes;
}

/** The text of a file a path input names, inside the workspace by the contract's path rule. */
async function readWorkspaceFile(inputName: string, given: string, workspace: string): Promise<string> {
  const file = resolveInputPath({ inputName, given, base: workspace, roots: [workspaceRoot(workspace)] });
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `Input '${inputName}': cannot read '${given}' (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a path relative to the workspace.`,
    );
  }
}

function readToken(read: InputReader): string {
  const token = read('token').trim();
  if (token === '') {
    throw new ConfigurationError(
      "Input 'token' is empty: leave it unset to use the job's GITHUB_TOKEN, or pass a token that can write contents.",
    );
  }
  return token;
}

/** The built commit: input `commit`, else GITHUB_SHA; with `from-release`, the source release's (checked there). */
function readCommit(read: InputReader, context: RunContext, fromTag: string): string {
  const commit = (read('commit').trim() || context.sha).toLowerCase();
  if (fromTag === '' && !COMMIT.test(commit)) {
    throw new ConfigurationError(
      `Input 'commit' must be the 40-hex SHA of the built commit (default: GITHUB_SHA); got '${commit.slice(0, 60)}'.`,
    );
  }
  return commit;
}

function readMaxRetries(read: InputReader): number {
  const text = read('max-retries').trim() || '5';
  if (!/^\d{1,2}$/.test(text)) {
    throw new ConfigurationError(
      `Input 'max-retries' must be a whole number from 0 to 99; got '${text.slice(0, 20)}'.`,
    );
  }
  return Number(text);
}

/** Inputs `make-latest`, `latest-environment` and `prerelease` (publish-options.ts). */
function readPublishChoices(read: InputReader): Pick<ReleaseInputs, 'makeLatest' | 'latestEnvironment' | 'prerelease'> {
  return {
    makeLatest: parseMakeLatest(read('make-latest')),
    latestEnvironment: checkName(
      ENVIRONMENT_NAME,
      read('latest-environment').trim() || 'production',
      'latest-environment',
    ),
    prerelease: parsePrerelease(read('prerelease')),
  };
}
