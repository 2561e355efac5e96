/**
 * What the stages do with an image: resolve a reference to the digest of the
 * manifest (or index) bytes the registry serves, and check that everything a
 * manifest references is still there, platform by platform.
 */
import { ConfigurationError, type Digest, errorMessage } from '@build-release-run/contract';
import type { FetchedManifest, RegistryClient } from './client.ts';
import { type Descriptor, platformOfConfig } from './media-types.ts';
import { type ImageReference, manifestReference } from './reference.ts';

export interface ResolvedImage {
  registry: string;
  repository: string;
  digest: Digest;
  mediaType: string;
  /** The manifest or index bytes, exactly as served (their sha256 is `digest`). */
  manifest: Buffer;
  /** `os/architecture[/variant]` of each platform, in the index's order. */
  platforms: string[];
}

/** Image configs are small JSON documents; a larger one is refused. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** HEAD requests in flight at once while checking blobs. */
const BLOB_CHECKS_AT_ONCE = 4;
/** An index of indexes is allowed this deep, no deeper. */
const MAX_INDEX_DEPTH = 2;

export async function resolveImage(client: RegistryClient, image: ImageReference): Promise<ResolvedImage> {
  const fetched = await client.getManifest(image.repository, manifestReference(image));
  const platforms =
    fetched.parsed.kind === 'index'
      ? fetched.parsed.manifests.map((entry) => entry.platform)
      : [platformOfConfig(await client.getSmallBlob(image.repository, fetched.parsed.config.digest, MAX_CONFIG_BYTES))];
  return {
    registry: image.registry,
    repository: image.repository,
    digest: fetched.digest,
    mediaType: fetched.mediaType,
    manifest: fetched.bytes,
    platforms,
  };
}

export interface BlobCheck {
  /** Manifests fetched and checked (the index's platform manifests). */
  manifests: number;
  /** Blobs found with HEAD (configs and layers). */
  blobs: number;
}

/**
 * Checks every blob `manifest` references, fetching each platform manifest
 * of an index by its digest. The first missing blob stops the check with an
 * error naming the platform and the blob.
 */
export async function checkImageBlobs(
  client: RegistryClient,
  repository: string,
  manifest: FetchedManifest,
  platform = 'the image',
  depth = 0,
): Promise<BlobCheck> {
  const parsed = manifest.parsed;
  if (parsed.kind === 'image') {
    const wanted: [string, Descriptor][] = [
      ['config', parsed.config],
      ...parsed.layers.map((layer, i): [string, Descriptor] => [`layer ${i + 1} of ${parsed.layers.length}`, layer]),
    ];
    await inBatches(wanted, async ([role, blob]) => {
      const state = await client.blobState(repository, blob.digest, blob.size);
      if (state.state === 'present') return;
      const what = `${platform}: ${role} blob ${blob.digest} of ${client.registry}/${repository}`;
      if (state.state === 'missing') {
        throw new ConfigurationError(`${client.subject}: ${what} is missing from the registry.`);
      }
      throw new Error(`${client.subject}: ${what} is ${state.size} bytes, its manifest says ${blob.size}.`);
    });
    return { manifests: 0, blobs: wanted.length };
  }
  if (depth >= MAX_INDEX_DEPTH) throw new Error(`${client.subject}: indexes nested deeper than ${MAX_INDEX_DEPTH}.`);
  const total: BlobCheck = { manifests: 0, blobs: 0 };
  for (const entry of parsed.manifests) {
    const label = `platform ${entry.platform}`;
    const child = await client.getManifest(repository, entry.digest).catch((error: unknown) => {
      throw new (error instanceof ConfigurationError ? ConfigurationError : Error)(`${label}: ${errorMessage(error)}`, {
        cause: error,
      });
    });
    const found = await checkImageBlobs(client, repository, child, label, depth + 1);
    total.manifests += found.manifests + 1;
    total.blobs += found.blobs;
  }
  return total;
}

async function inBatches<T>(items: readonly T[], check: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += BLOB_CHECKS_AT_ONCE) {
    await Promise.all(items.slice(start, start + BLOB_CHECKS_AT_ONCE).map(check));
  }
}
