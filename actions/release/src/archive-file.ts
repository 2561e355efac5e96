/**
 * Finds the build archive (the `archive` input, or the single file
 * download-artifact put in the artifact folder) and checks its bytes against
 * the digest before anything is created.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, type Digest, shortDigest } from '@build-release-run/contract';
import { type ReleaseArchiveFormat, digestFile, parseArchiveAssetName } from '@build-release-run/release-format';

export interface VerifiedArchive {
  file: string;
  /** The asset name: `<build name>-<short digest>.<format>`. */
  name: string;
  format: ReleaseArchiveFormat;
  size: number;
}

export async function locateArchive(archive: string | undefined, artifactPath: string | undefined): Promise<string> {
  if (archive !== undefined) return archive;
  if (artifactPath === undefined) {
    throw new ConfigurationError(
      "Input 'archive' is empty and no artifact was downloaded: give 'archive' (the build action's 'archive' output) or let the action download the build artifact.",
    );
  }
  let names: string[];
  try {
    names = (await readdir(artifactPath, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    throw new ConfigurationError(
      `The build artifact folder '${artifactPath}' does not exist: was the artifact downloaded?`,
    );
  }
  if (names.length !== 1) {
    throw new ConfigurationError(
      `The build artifact must hold exactly one file, the archive; '${artifactPath}' holds ${names.length}. Pass 'archive' to choose it.`,
    );
  }
  return path.join(artifactPath, names[0] as string);
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
