/**
 * Reads and validates every input once, into one typed object. Each error
 * names the input, the bad value and the fix, before any work starts.
 */
import path from 'node:path';
import { DEADLINE_INPUT, type InputReader, parseDeadlineMinutes } from '@build-release-run/action-kit';
import {
  type ArchiveFormat,
  DEFAULT_FORMAT,
  FORMATS,
  isArchiveFormat,
  zstdAvailable,
} from '@build-release-run/archive';
import {
  type AllowedRoot,
  BUILD_NAME,
  ConfigurationError,
  checkName,
  readRunContext,
  resolveInputPath,
  searchPath,
  workspaceRoot,
} from '@build-release-run/contract';
import { type AttestMode, parseAttestMode } from '@build-release-run/provenance';
import {
  type ImageReference,
  type RegistryCredentials,
  parseImageReference,
  registryCredentials,
} from '@build-release-run/registry';

/** A container image build: the reference to resolve, and how to log in to its registry. */
export interface ImageBuildInputs {
  reference: ImageReference;
  /** Undefined: anonymous pulls. */
  credentials: RegistryCredentials | undefined;
}

export interface BuildInputs {
  /** The `path` lines as given, made absolute (exclusions keep their '!'). */
  patterns: string[];
  name: string;
  format: ArchiveFormat;
  /** Absolute; inside the workspace. */
  workingDirectory: string;
  /** Absolute GITHUB_WORKSPACE. */
  workspace: string;
  run: string | undefined;
  retentionDays: number | undefined;
  /** Where the archive is written (under RUNNER_TEMP). */
  outputDirectory: string;
  attest: AttestMode;
  /** Stores the attestation (`attestations: write`). */
  token: string;
  /** Set when the build is a container image (`image`) rather than files (`path`). */
  image: ImageBuildInputs | undefined;
  /** Input 'deadline-minutes': the whole build, the build command and the artifact upload included. */
  deadlineMinutes: number;
}

/** Most builds take minutes; a stalled service or command should not hold the runner for the job's six hours. */
export const DEFAULT_DEADLINE_MINUTES = 60;

/**
 * Every input, each by the reader of its concern, in the order a user's
 * mistakes are reported: where the build is (its files or its image), then
 * how it is named, packed and kept.
 */
export function parseBuildInputs(input: InputReader, env: NodeJS.ProcessEnv): BuildInputs {
  const context = readRunContext(env);
  const { workspace, runnerTemp } = context;
  const workingDirectory = resolveInputPath({
    inputName: 'working-directory',
    given: input('working-directory') || '.',
    base: workspace,
    roots: inWorkspace(workspace),
  });
  const image = parseImageInputs(input, env);
  const patterns = parsePathInput(input, image !== undefined, workingDirectory, workspace);
  return {
    patterns,
    // It becomes the archive's file name and part of the release's asset name.
    name: checkName(BUILD_NAME, input('name') || defaultName(context.repository), 'name'),
    format: parseFormat(input),
    workingDirectory,
    workspace,
    run: input('run') || undefined,
    retentionDays: parseRetentionDays(input),
    outputDirectory: path.join(runnerTemp, 'build-release-run'),
    attest: parseAttestMode(input('attest')),
    token: input('token'),
    image,
    deadlineMinutes: parseDeadlineMinutes(input(DEADLINE_INPUT), DEFAULT_DEADLINE_MINUTES),
  };
}

function inWorkspace(workspace: string): [AllowedRoot] {
  return [workspaceRoot(workspace)];
}

/**
 * Input `path`: the lines as given, made absolute (exclusions keep their
 * '!'), each one's search folder inside the workspace. Required unless the
 * build is an image, and refused beside one.
 */
function parsePathInput(input: InputReader, isImage: boolean, workingDirectory: string, workspace: string): string[] {
  const lines = input('path')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (isImage && lines.length > 0) {
    throw new ConfigurationError(
      "Inputs 'path' and 'image' are both set: give 'path' to pack files into an archive, or 'image' to build from a container image in a registry, not both.",
    );
  }
  if (!isImage && lines.length === 0) {
    throw new ConfigurationError(
      "Input 'path' is required: list the build output to pack (files, folders or globs, one per line), e.g. 'dist'; or give 'image' (e.g. ghcr.io/owner/app:tag) when the build is a container image.",
    );
  }
  return lines.map((line) => {
    const exclude = line.startsWith('!');
    const pattern = exclude ? line.slice(1).trim() : line;
    const absolute = path.resolve(workingDirectory, pattern);
    // The folder the pattern searches, links resolved (it may not exist before the build runs).
    resolveInputPath({
      inputName: 'path',
      given: line,
      target: searchPath(absolute),
      base: workspace,
      roots: inWorkspace(workspace),
    });
    return exclude ? `!${absolute}` : absolute;
  });
}

function parseFormat(input: InputReader): ArchiveFormat {
  const format = input('format') || DEFAULT_FORMAT;
  if (!isArchiveFormat(format)) {
    throw new ConfigurationError(`Input 'format' is '${format}'; use one of: ${FORMATS.join(', ')}.`);
  }
  if (format === 'tar.zst' && !zstdAvailable()) {
    throw new ConfigurationError(
      `Input 'format' is 'tar.zst', but the runner's Node ${process.version} has no zstd (it needs 22.15 or later). Set 'format: tar.gz', or install a newer Node with actions/setup-node before this step.`,
    );
  }
  return format;
}

/** Undefined: the repository's default. */
function parseRetentionDays(input: InputReader): number | undefined {
  const text = input('retention-days');
  if (text === '') return undefined;
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    throw new ConfigurationError(
      `Input 'retention-days' is '${text}'; use a whole number of days from 1 to 90, or leave it empty for the repository's default.`,
    );
  }
  return days;
}

/** `image` with `registry-username` / `registry-password` (read always, so a misspelt pair is never silently ignored). */
function parseImageInputs(input: InputReader, env: NodeJS.ProcessEnv): ImageBuildInputs | undefined {
  const given = { username: input('registry-username'), password: input('registry-password') };
  const text = input('image');
  if (text === '') {
    if (given.username !== '' || given.password !== '') {
      throw new ConfigurationError(
        "Inputs 'registry-username' and 'registry-password' are for a container image build: set 'image' too, or remove them.",
      );
    }
    return undefined;
  }
  const reference = parseImageReference(text, 'image');
  // ghcr.io without credentials: the job's actor and token (the `token` input), as docker/login-action is set up for GHCR.
  const credentials = registryCredentials(reference.registry, given, {
    actor: env['GITHUB_ACTOR'],
    token: input('token'),
  });
  return { reference, credentials };
}

function defaultName(repository: string): string {
  // A repository name is letters, digits, '.', '_', '-'; only its start may not suit.
  return (repository.split('/')[1] ?? '').replace(/^[^A-Za-z0-9]+/, '').slice(0, BUILD_NAME.maxLength) || 'build';
}
