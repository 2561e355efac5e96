/**
 * Finds the build archive (the `archive` input, or the single file of the
 * build artifact) and checks its bytes against the digest before anything
 * is created.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasArtifactStorage } from '@build-release-run/action-kit';
import type { Deadline } from '@build-release-run/github-api';
import { ConfigurationError, type Digest, artifactNameForDigest, shortDigest } from '@build-release-run/contract';
import { type ReleaseBuildFormat, digestFile, parseArchiveAssetName } from '@build-release-run/release-format';

export interface VerifiedArchive {
  file: string;
  /** The asset name: `<build name>-<short digest>.<format>` (an image's: imageManifestAssetName). */
  name: string;
  format: ReleaseBuildFormat;
  size: number;
}

/** This run's build artifact (named from the digest), downloaded under RUNNER_TEMP; the folder it is in. */
export async function downloadBuild(digest: Digest, env: NodeJS.ProcessEnv, deadline?: Deadline): Promise<string> {
  if (!hasArtifactStorage(env)) {
    throw new ConfigurationError(
      "Input 'archive' is empty and this step has no artifact storage to fetch the build from (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set, as in a `run:` step or outside a runner): give 'archive', the build action's 'archive' output.",
    );
  }
  const folder = path.join(env['RUNNER_TEMP'] || tmpdir(), 'build-release-run', artifactNameForDigest(digest));
  await rm(folder, { recursive: true, force: true });
  const { downloadBuildArtifact } = await import('@build-release-run/action-kit/build-artifact');
  await downloadBuildArtifact(digest, folder, deadline);
  return folder;
}

export async function singleFile(folder: string): Promise<string> {
  const names = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  if (names.length !== 1) {
    throw new ConfigurationError(
      `The build artifact must hold exactly one file, the archive; it holds ${names.length}. Pass 'archive' to choose it.`,
    );
  }
  return path.join(folder, names[0] as string);
}

export async function verifyArchive(
  file: string,
  digest: Digest,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifiedArchive> {
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch {
    throw new ConfigurationError(
      `Input 'archive': no archive file at '${file}'; pass the build action's 'archive' output.`,
    );
  }
  const name = path.basename(file);
  const parts = parseArchiveAssetName(name);
  const measured = await digestFile(file, onProgress);
  if (measured.digest !== digest) {
    throw new ConfigurationError(
      `Input 'digest' does not match the archive: '${name}' has ${measured.digest}, the input says ${digest}. ` +
        'Pass the digest output of the build job that made this archive.',
    );
  }
  if (!parts || parts.short !== shortDigest(digest)) {
    throw new ConfigurationError(
      `Input 'archive': the file name '${name}' must be <build name>-${shortDigest(digest)}.tar.gz or .tar.zst, as the build action names it.`,
    );
  }
  return { file, name, format: parts.format, size: measured.size };
}
