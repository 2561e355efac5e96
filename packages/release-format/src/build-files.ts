/**
 * The build's files as a job receives them (the build action's artifact,
 * downloaded, or an `archive` path): checked against the digest by the rule
 * the build wrote them by, before anything is made from them. One reader for
 * both jobs that take a build by its digest: the release, and the signing
 * job of the reusable build workflow, which attests only bytes it checked.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ConfigurationError,
  type Digest,
  artifactNameForDigest,
  digestOf,
  errorMessage,
  shortDigest,
} from '@build-release-run/contract';
import { type ImageRecord, validateImageRecord } from '@build-release-run/registry';
import { digestFile } from './digests.ts';
import type { ReleaseBuildFormat } from './manifest.ts';
import { IMAGE_FORMAT, IMAGE_RECORD_FILE, imageManifestAssetName, parseArchiveAssetName } from './names.ts';

export interface VerifiedArchive {
  file: string;
  /** The asset name: `<build name>-<short digest>.<format>` (an image's: imageManifestAssetName). */
  name: string;
  format: ReleaseBuildFormat;
  size: number;
}

/** A build checked against its digest: an archive, or an image's manifest bytes with its record. */
export interface VerifiedBuildFiles {
  archive: VerifiedArchive;
  image: ImageRecord | undefined;
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

/** A downloaded build artifact (the build action's files): an image's record and manifest, or one archive. */
export async function verifyArtifactFolder(
  digest: Digest,
  folder: string,
  onProgress?: () => ((done: number, total: number) => void) | undefined,
): Promise<VerifiedBuildFiles> {
  const names = await readdir(folder);
  if (names.includes(IMAGE_RECORD_FILE)) return imageFromArtifact(digest, folder);
  return { archive: await verifyArchive(await singleFile(folder), digest, onProgress?.()), image: undefined };
}

async function imageFromArtifact(digest: Digest, folder: string): Promise<VerifiedBuildFiles> {
  const artifact = artifactNameForDigest(digest);
  let record: ImageRecord;
  try {
    record = validateImageRecord(JSON.parse(await readFile(path.join(folder, IMAGE_RECORD_FILE), 'utf8')));
  } catch (error) {
    throw new Error(`The build artifact '${artifact}' has an unreadable ${IMAGE_RECORD_FILE}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (record.digest !== digest) {
    throw new ConfigurationError(
      `Input 'digest' is ${digest}, but the image in the build artifact is ${record.digest}. Re-run the build job.`,
    );
  }
  const name = imageManifestAssetName(record.repository, digest);
  const file = path.join(folder, name);
  const bytes = await readFile(file).catch(() => {
    throw new Error(`The build artifact '${artifact}' has no ${name} (the image's manifest). Re-run the build job.`);
  });
  if (digestOf(bytes) !== digest) {
    throw new ConfigurationError(
      `Input 'digest' does not match the image manifest in the build artifact: its bytes hash to ${digestOf(bytes)}. Re-run the build job.`,
    );
  }
  return { archive: { file, name, format: IMAGE_FORMAT, size: bytes.length }, image: record };
}
