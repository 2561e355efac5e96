/**
 * The image a release records, and the check deploy makes before anything
 * runs: the registry still serves, under the released digest, exactly the
 * manifest bytes the release stored, and every blob they reference. A tag
 * moved since changes nothing (nothing is looked up by tag); a deleted or
 * replaced manifest, or a missing blob, refuses.
 */
import { ConfigurationError, type Digest, digestOf, isDigest, quoteRefused } from '@build-release-run/contract';
import type { RegistryClient } from './client.ts';
import { type BlobCheck, checkImageBlobs } from './image.ts';
import { MANIFEST_MEDIA_TYPES } from './media-types.ts';
import { parseImageReference, pinnedReference } from './reference.ts';

/** What release.json records of an image build. */
export interface ImageRecord {
  registry: string;
  repository: string;
  digest: Digest;
  mediaType: string;
  platforms: string[];
}

const RECORD_FIELDS: readonly string[] = ['registry', 'repository', 'digest', 'mediaType', 'platforms'];

/**
 * Checks an image record read from a release (untrusted) with the rules the
 * build used to make it: a reference that parses back to the same registry
 * and repository, a sha256 digest, a manifest media type, platform names.
 */
export function validateImageRecord(value: unknown, field = 'image'): ImageRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${field} must be an object`);
  const extra = Object.keys(value).find((key) => !RECORD_FIELDS.includes(key));
  if (extra !== undefined) throw new Error(`${field} has a field the build never writes: ${quoteRefused(extra)}`);
  const { registry, repository, digest, mediaType, platforms } = value as Record<string, unknown>;
  if (
    typeof registry !== 'string' ||
    typeof repository !== 'string' ||
    typeof digest !== 'string' ||
    !isDigest(digest)
  ) {
    throw new Error(`${field} needs registry, repository and a sha256 digest`);
  }
  let reparsed;
  try {
    reparsed = parseImageReference(`${registry}/${repository}@${digest}`, field);
  } catch {
    reparsed = undefined;
  }
  if (reparsed?.registry !== registry || reparsed.repository !== repository) {
    throw new Error(`${field}.registry and ${field}.repository must name an image as the build action writes it`);
  }
  if (typeof mediaType !== 'string' || !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    throw new Error(`${field}.mediaType must be one of ${MANIFEST_MEDIA_TYPES.join(', ')}`);
  }
  if (
    !Array.isArray(platforms) ||
    platforms.length === 0 ||
    !platforms.every(
      (platform) =>
        typeof platform === 'string' &&
        /^(?:unknown|[A-Za-z0-9._-]{1,64}(?:\/[A-Za-z0-9._-]{1,64}){1,2})$/.test(platform),
    )
  ) {
    throw new Error(`${field}.platforms must be a non-empty list of os/architecture[/variant]`);
  }
  return { registry, repository, digest, mediaType, platforms: [...platforms] as string[] };
}

/** The record as JSON, fields in a fixed order (the build writes it; release and deploy read it with validateImageRecord). */
export function imageRecordOf(image: ImageRecord): ImageRecord {
  return {
    registry: image.registry,
    repository: image.repository,
    digest: image.digest,
    mediaType: image.mediaType,
    platforms: [...image.platforms],
  };
}

export interface VerifiedImage {
  /** `RELEASE_IMAGE`: `<registry>/<repository>@sha256:…`. */
  pinned: string;
  check: BlobCheck;
}

export async function verifyReleasedImage(
  client: RegistryClient,
  image: ImageRecord,
  releasedManifest: Uint8Array,
): Promise<VerifiedImage> {
  if (digestOf(releasedManifest) !== image.digest) {
    throw new Error(`The release's manifest asset does not hash to its image digest ${image.digest}.`);
  }
  const served = await client.getManifest(image.repository, image.digest);
  if (!served.bytes.equals(releasedManifest)) {
    throw new ConfigurationError(
      `${client.subject}: ${pinnedReference(image, image.digest)} as served differs from the manifest the release stored.`,
    );
  }
  if (served.mediaType !== image.mediaType) {
    throw new Error(`${client.subject}: served as ${served.mediaType}, released as ${image.mediaType}.`);
  }
  const check = await checkImageBlobs(client, image.repository, served);
  return { pinned: pinnedReference(image, image.digest), check };
}
