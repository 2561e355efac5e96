/**
 * Every input and the workflow context, read and validated once, up front,
 * before anything touches GitHub: a mistake here creates nothing.
 */
import { readFile } from 'node:fs/promises';
import { DEADLINE_INPUT, parseDeadlineMinutes } from '@build-release-run/action-kit';
import {
  type AllowedRoot,
  ConfigurationError,
  type Digest,
  ENVIRONMENT_NAME,
  type RunContext,
  TAG_NAME,
  checkName,
  parseDigest,
  resolveInputPath,
} from '@build-release-run/contract';
import { type AttestMode, parseAttestMode } from '@build-release-run/provenance';
import { readRegistryInputs, readTrustInputs } from '@build-release-run/release-verify';
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
}

/** GitHub caps a release body at 125,000 characters; the facts need the rest. */
const MAX_NOTES = 20_000;

/** A release moves bytes and makes a dozen calls: half an hour is ample unless GitHub stalls. */
export const DEFAULT_DEADLINE_MINUTES = 30;

/** The run, read by the contract's one reader (the same defaults as build and deploy). */
export type WorkflowContext = RunContext;

export type ReadInput = (name: string) => string;

const COMMIT = /^[0-9a-f]{40}$/;

export { readRunContext as readContext } from '@build-release-run/contract';

export async function readInputs(read: ReadInput, context: RunContext): Promise<ReleaseInputs> {
  const { workspace } = context;
  const inWorkspace: [AllowedRoot] = [{ path: workspace, name: 'the workspace' }];
  const workspaceOrTemp: [AllowedRoot, AllowedRoot] = [
    { path: workspace, name: 'the workspace' },
    { path: context.runnerTemp, name: "the runner's temp folder" },
  ];
  const digestText = read('digest');
  const fromTag = read('from-release').trim();
  const trust = readTrustInputs(read);
  if (fromTag !== '') {
    checkName(TAG_NAME, fromTag, 'from-release');
    for (const other of ['archive', 'image', 'commit']) {
      if (read(other).trim() !== '') {
        throw new ConfigurationError(
          `Inputs 'from-release' and '${other}' are both set: 'from-release' takes the build (and the commit it was built from) from that release, so give one or the other.`,
        );
      }
    }
  }
  if (digestText.trim() === '' && fromTag === '') {
    throw new ConfigurationError(
      "Input 'digest' is required: pass the build action's 'digest' output (needs.<build job>.outputs.digest).",
    );
  }
  const digest = digestText.trim() === '' ? undefined : parseDigest(digestText, 'digest');
  const version = parseVersionInput(read('version'), 'version', parsePreid(read('preid'), 'preid'), context.ref);

  const environmentText = read('environment').trim();
  if (environmentText === '') {
    throw new ConfigurationError(
      "Input 'environment' is required: every release is one environment's config, and its previous release, config diff and deploys are that environment's. Name the deploy target, e.g. 'environment: staging'.",
    );
  }
  const environment = checkName(ENVIRONMENT_NAME, environmentText, 'environment');

  const configFile = read('config-file').trim();
  const configEntries = parseConfigText(read('config'), "Input 'config'");
  if (configFile !== '') {
    const file = resolveInputPath({ inputName: 'config-file', given: configFile, base: workspace, roots: inWorkspace });
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

  let notes = read('notes').trim();
  const notesFile = read('notes-file').trim();
  if (notesFile !== '') {
    const file = resolveInputPath({ inputName: 'notes-file', given: notesFile, base: workspace, roots: inWorkspace });
    try {
      notes = [notes, (await readFile(file, 'utf8')).trim()].filter((part) => part !== '').join('\n\n');
    } catch (error) {
      throw new ConfigurationError(
        `Input 'notes-file': cannot read '${notesFile}' (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a path relative to the workspace.`,
      );
    }
  }
  if (notes.length > MAX_NOTES) {
    throw new ConfigurationError(
      `Inputs 'notes' and 'notes-file' hold ${notes.length} characters; at most ${MAX_NOTES} fit in a release's notes beside its facts. Shorten them, or attach the full text as a file.`,
    );
  }

  const token = read('token').trim();
  if (token === '') {
    throw new ConfigurationError(
      "Input 'token' is empty: leave it unset to use the job's GITHUB_TOKEN, or pass a token that can write contents.",
    );
  }

  const commit = (read('commit').trim() || context.sha).toLowerCase();
  if (fromTag === '' && !COMMIT.test(commit)) {
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
  if (fromTag === '' && read('registry').trim() !== '') {
    throw new ConfigurationError(
      "Input 'registry' is for 'from-release' (the registry the promoted release names); with 'image' the credentials are for that image's registry: remove 'registry'.",
    );
  }
  const image =
    fromTag !== '' || digest === undefined ? undefined : readImageInput(read, digest, archive, context.actor, token);
  return {
    digest,
    fromRelease:
      fromTag === '' ? undefined : { tag: fromTag, expectedDigest: digest, trust, registry: readRegistryInputs(read) },
    // The build action's `archive` output lies in the runner's temp folder (build and release in one job).
    archive:
      archive === ''
        ? undefined
        : resolveInputPath({ inputName: 'archive', given: archive, base: workspace, roots: workspaceOrTemp }),
    version,
    environment,
    configEntries,
    secretKeys,
    token,
    commit,
    maxRetries: Number(retriesText),
    attest: parseAttestMode(read('attest')),
    image,
    deadlineMinutes: parseDeadlineMinutes(read(DEADLINE_INPUT), DEFAULT_DEADLINE_MINUTES),
    makeLatest: parseMakeLatest(read('make-latest')),
    latestEnvironment: checkName(
      ENVIRONMENT_NAME,
      read('latest-environment').trim() || 'production',
      'latest-environment',
    ),
    prerelease: parsePrerelease(read('prerelease')),
    configReset: parseConfigReset(read('config-reset')),
    notes,
    attach: await readAttachInput(read('attach'), workspace),
  };
}
