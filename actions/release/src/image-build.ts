/**
 * An image build, for the release: by the digest alone (the build's
 * artifact holds the manifest bytes and the image record), or from the
 * `image` input (resolved against the registry by the digest). Either way the
 * manifest bytes must hash to the digest; the record is read with the rule
 * the build wrote it by (validateImageRecord), since an artifact is data
 * from another job.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError, type Digest, artifactNameForDigest } from '@build-release-run/contract';
import {
  type ImageRecord,
  type ImageReference,
  type RegistryCredentials,
  RegistryClient,
  imageRecordOf,
  parseImageReference,
  registryCredentials,
  resolveImage,
  validateImageRecord,
} from '@build-release-run/registry';
import type { InputReader } from '@build-release-run/action-kit';
import type { Deadline } from '@build-release-run/github-api';
import {
  IMAGE_FORMAT,
  type VerifiedArchive,
  imageManifestAssetName,
  verifyArchive,
  verifyArtifactFolder,
} from '@build-release-run/release-format';
import { downloadBuild } from './archive-file.ts';
import type { ProgressCallback, ProgressFactory } from '@build-release-run/progress';

export interface ImageInput {
  reference: ImageReference;
  credentials: RegistryCredentials | undefined;
}

export interface ReleaseBuild {
  /** The asset holding the build: the archive, or the image's manifest bytes. */
  archive: VerifiedArchive;
  image: ImageRecord | undefined;
}

/** `image`, `registry-username`, `registry-password`: read always, so a misspelt pair is never silently ignored. */
export function readImageInput(
  read: InputReader,
  digest: Digest,
  archive: string,
  actor: string | undefined,
  token: string,
): ImageInput | undefined {
  const given = { username: read('registry-username').trim(), password: read('registry-password').trim() };
  const text = read('image').trim();
  if (text === '') {
    if (given.username !== '' || given.password !== '') {
      throw new ConfigurationError(
        "Inputs 'registry-username' and 'registry-password' are for an image given by 'image': set 'image' too, or remove them.",
      );
    }
    return undefined;
  }
  if (archive !== '') {
    throw new ConfigurationError(
      "Inputs 'archive' and 'image' are both set: give the build action's 'archive' output for an archive build, or its 'image' output for an image build.",
    );
  }
  const reference = parseImageReference(text, 'image');
  if (reference.digest !== undefined && reference.digest !== digest) {
    throw new ConfigurationError(
      `Input 'image' is pinned to ${reference.digest}, but input 'digest' is ${digest}: pass the 'image' and 'digest' outputs of the same build.`,
    );
  }
  return { reference, credentials: registryCredentials(reference.registry, given, { actor, token }) };
}

export async function releaseBuild(
  digest: Digest,
  archive: string | undefined,
  image: ImageInput | undefined,
  env: NodeJS.ProcessEnv,
  // A factory, not a callback: the hashing's clock starts when the hashing
  // does, after the artifact's download, or its rate would count the download.
  progress?: ProgressFactory,
  deadline?: Deadline,
): Promise<ReleaseBuild> {
  const onProgress = (): ProgressCallback | undefined => progress?.('Hashing the archive');
  if (image !== undefined) return fromRegistry(digest, image, env);
  if (archive !== undefined) return { archive: await verifyArchive(archive, digest, onProgress()), image: undefined };
  return verifyArtifactFolder(digest, await downloadBuild(digest, env, deadline), onProgress);
}

async function fromRegistry(digest: Digest, image: ImageInput, env: NodeJS.ProcessEnv): Promise<ReleaseBuild> {
  const client = new RegistryClient({
    registry: image.reference.registry,
    ...(image.credentials === undefined ? {} : { credentials: image.credentials }),
  });
  // By the digest, never the tag: the client refuses bytes that hash to anything else.
  const resolved = await resolveImage(client, { ...image.reference, digest });
  const record = validateImageRecord(imageRecordOf(resolved));
  const name = imageManifestAssetName(record.repository, digest);
  const folder = path.join(env['RUNNER_TEMP'] || tmpdir(), 'build-release-run', artifactNameForDigest(digest));
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, name);
  await writeFile(file, resolved.manifest);
  return { archive: { file, name, format: IMAGE_FORMAT, size: resolved.manifest.length }, image: record };
}
