/**
 * Reads and validates every input once, into one typed object. Each error
 * names the input, the bad value and the fix, before any work starts.
 */
import path from 'node:path';
import {
  type ArchiveFormat,
  DEFAULT_FORMAT,
  FORMATS,
  isArchiveFormat,
  zstdAvailable,
} from '@build-release-run/archive';
import { ConfigurationError } from '@build-release-run/contract';
import { type AttestMode, parseAttestMode } from '@build-release-run/provenance';
import { isInside, searchPath } from './paths.ts';

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
}

/** Reads an input the way @actions/core does: INPUT_<NAME upper-cased, spaces as _>, trimmed. */
export type InputReader = (name: string) => string;

export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function parseBuildInputs(input: InputReader, env: NodeJS.ProcessEnv): BuildInputs {
  const workspace = path.resolve(env['GITHUB_WORKSPACE'] || process.cwd());
  const runnerTemp = env['RUNNER_TEMP'] || path.join(workspace, '..', '_temp');

  const workingDirectoryInput = input('working-directory') || '.';
  const workingDirectory = path.resolve(workspace, workingDirectoryInput);
  if (!isInside(workspace, workingDirectory)) {
    throw new ConfigurationError(
      `Input 'working-directory' is '${workingDirectoryInput}', which is outside the workspace (${workspace}). Give a folder inside the repository's checkout.`,
    );
  }

  const lines = input('path')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) {
    throw new ConfigurationError(
      "Input 'path' is required: list the build output to pack (files, folders or globs, one per line), e.g. 'dist'.",
    );
  }
  const patterns = lines.map((line) => {
    const exclude = line.startsWith('!');
    const pattern = exclude ? line.slice(1).trim() : line;
    const absolute = path.resolve(workingDirectory, pattern);
    if (!isInside(workspace, searchPath(absolute))) {
      throw new ConfigurationError(
        `Input 'path': '${line}' points outside the workspace (${workspace}). Build into a folder inside the checkout and list that.`,
      );
    }
    return exclude ? `!${absolute}` : absolute;
  });

  const name = input('name') || defaultName(env, workspace);
  if (!NAME_PATTERN.test(name)) {
    throw new ConfigurationError(
      `Input 'name' is '${name}': use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes the archive's file name).`,
    );
  }

  const formatInput = input('format') || DEFAULT_FORMAT;
  if (!isArchiveFormat(formatInput)) {
    throw new ConfigurationError(`Input 'format' is '${formatInput}'; use one of: ${FORMATS.join(', ')}.`);
  }
  if (formatInput === 'tar.zst' && !zstdAvailable()) {
    throw new ConfigurationError(
      `Input 'format' is 'tar.zst', but the runner's Node ${process.version} has no zstd (it needs 22.15 or later). Set 'format: tar.gz', or install a newer Node with actions/setup-node before this step.`,
    );
  }

  const retentionInput = input('retention-days');
  let retentionDays: number | undefined;
  if (retentionInput !== '') {
    retentionDays = Number(retentionInput);
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 90) {
      throw new ConfigurationError(
        `Input 'retention-days' is '${retentionInput}'; use a whole number of days from 1 to 90, or leave it empty for the repository's default.`,
      );
    }
  }

  return {
    patterns,
    name,
    format: formatInput,
    workingDirectory,
    workspace,
    run: input('run') || undefined,
    retentionDays,
    outputDirectory: path.join(runnerTemp, 'build-release-run'),
    attest: parseAttestMode(input('attest')),
    token: input('token'),
  };
}

function defaultName(env: NodeJS.ProcessEnv, workspace: string): string {
  const repository = env['GITHUB_REPOSITORY'];
  const candidate = repository?.split('/')[1] || path.basename(workspace);
  // A repository name is already a safe file name; the fallback may not be.
  return candidate.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'build';
}
