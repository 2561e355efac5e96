/**
 * A container image as the build: the reference resolved against its
 * registry, the manifest (or index) bytes received hashed into the digest,
 * and what the release needs written beside each other for the artifact
 * named from that digest: the manifest bytes (under the asset name the
 * release gives them) and the image record.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Digest, artifactNameForDigest } from '@build-release-run/contract';
import {
  type ImageRecord,
  RegistryClient,
  imageRecordOf,
  pinnedReference,
  resolveImage,
  validateImageRecord,
} from '@build-release-run/registry';
import { IMAGE_RECORD_FILE, imageManifestAssetName } from '@build-release-run/release-format';
import type { ImageBuildInputs } from './inputs.ts';

export interface ImageBuildResult {
  digest: Digest;
  /** `<registry>/<repository>@sha256:…`. */
  image: string;
  record: ImageRecord;
  artifactName: string;
  /** The manifest bytes and the record, the files of the artifact. */
  files: string[];
  /** Bytes of the manifest (or index). */
  size: number;
}

export async function buildImage(image: ImageBuildInputs, outputDirectory: string): Promise<ImageBuildResult> {
  const client = new RegistryClient({
    registry: image.reference.registry,
    ...(image.credentials === undefined ? {} : { credentials: image.credentials }),
  });
  const resolved = await resolveImage(client, image.reference);
  // The rule release and deploy read it back with: what the build records, they accept.
  const record = validateImageRecord(
    imageRecordOf({
      registry: resolved.registry,
      repository: resolved.repository,
      digest: resolved.digest,
      mediaType: resolved.mediaType,
      platforms: resolved.platforms,
    }),
  );
  const artifactName = artifactNameForDigest(record.digest);
  const folder = path.join(outputDirectory, artifactName);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const manifestFile = path.join(folder, imageManifestAssetName(record.repository, record.digest));
  const recordFile = path.join(folder, IMAGE_RECORD_FILE);
  await writeFile(manifestFile, resolved.manifest);
  await writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  return {
    digest: record.digest,
    image: pinnedReference(record, record.digest),
    record,
    artifactName,
    files: [manifestFile, recordFile],
    size: resolved.manifest.length,
  };
}
