/**
 * The four assets of a release, built from the verified archive, the config
 * and the manifest, and the files attached beside them (input `attach`). Small ones are bytes in memory; the archive stays on disk.
 */
import type { AssetSource } from '@build-release-run/github-api';
import { formatBytesExact } from '@build-release-run/progress';
import {
  CHECKSUMS_ASSET,
  CONFIG_ASSET,
  MANIFEST_ASSET,
  type ReleaseAttachment,
  type ReleaseManifest,
  digestOf,
  formatChecksums,
  releaseChecksums,
  serializeManifest,
} from '@build-release-run/release-format';
import type { Digest } from '@build-release-run/contract';
import type { VerifiedArchive } from './archive-file.ts';

const CONTENT_TYPES: Record<VerifiedArchive['format'], string> = {
  'tar.gz': 'application/gzip',
  'tar.zst': 'application/zstd',
  // An image's manifest bytes: JSON, the image digest is their sha256.
  image: 'application/json',
};

export interface PlannedAsset extends AssetSource {
  digest: Digest;
}

/** A file of input `attach`, measured: it is uploaded from disk. */
export interface AttachedAsset extends ReleaseAttachment {
  file: string;
}

export interface AssetSet {
  assets: PlannedAsset[];
  manifestDigest: Digest;
}

export function planAssets(
  archive: VerifiedArchive,
  archiveDigest: Digest,
  configText: string,
  manifest: ReleaseManifest,
  attached: readonly AttachedAsset[] = [],
): AssetSet {
  const configBytes = Buffer.from(configText);
  const manifestBytes = Buffer.from(serializeManifest(manifest));
  const archiveAsset: PlannedAsset = {
    name: archive.name,
    file: archive.file,
    size: archive.size,
    digest: archiveDigest,
    contentType: CONTENT_TYPES[archive.format],
  };
  const small = (name: string, bytes: Buffer, contentType: string): PlannedAsset => ({
    name,
    bytes,
    size: bytes.length,
    digest: digestOf(bytes),
    contentType,
  });
  const config = small(CONFIG_ASSET, configBytes, 'text/plain; charset=utf-8');
  const manifestAsset = small(MANIFEST_ASSET, manifestBytes, 'application/json');
  const extra = attached.map((attachment): PlannedAsset => ({
    name: attachment.name,
    file: attachment.file,
    size: attachment.size,
    digest: attachment.digest,
    contentType: 'application/octet-stream',
  }));
  // The sums are those release.json implies (deploy checks them so, against GitHub's digest).
  const sums = formatChecksums(releaseChecksums(manifest, manifestAsset.digest));
  return {
    assets: [
      archiveAsset,
      config,
      manifestAsset,
      small(CHECKSUMS_ASSET, Buffer.from(sums), 'text/plain; charset=utf-8'),
      ...extra,
    ],
    manifestDigest: manifestAsset.digest,
  };
}

/** Assets already on the draft that can stay, those to delete, and those to upload. Pure. */
export function reconcileAssets(
  planned: readonly PlannedAsset[],
  existing: readonly { id: number; name: string; state: string; size: number; digest?: string | null }[],
): { keep: string[]; remove: number[]; upload: PlannedAsset[] } {
  const keep: string[] = [];
  const remove: number[] = [];
  const upload: PlannedAsset[] = [];
  for (const asset of existing) {
    const want = planned.find((p) => p.name === asset.name);
    const good =
      want !== undefined &&
      asset.state === 'uploaded' &&
      asset.size === want.size &&
      (asset.digest == null || asset.digest === want.digest);
    if (good) keep.push(asset.name);
    else remove.push(asset.id);
  }
  for (const asset of planned) if (!keep.includes(asset.name)) upload.push(asset);
  return { keep, remove, upload };
}

/** Problems that forbid publishing (or, after publishing, must be reported): empty when all is well. */
export function checkAssets(
  planned: readonly PlannedAsset[],
  existing: readonly { name: string; state: string; size: number; digest?: string | null }[],
): string[] {
  const problems: string[] = [];
  for (const want of planned) {
    const got = existing.find((a) => a.name === want.name);
    if (!got) problems.push(`${want.name} is missing`);
    else if (got.state !== 'uploaded') problems.push(`${want.name} is in state ${got.state}`);
    else if (got.size !== want.size)
      problems.push(`${want.name} has ${formatBytesExact(got.size)}, expected ${formatBytesExact(want.size)}`);
    else if (got.digest != null && got.digest !== want.digest) {
      problems.push(`${want.name}: GitHub reports ${got.digest}, expected ${want.digest}`);
    }
  }
  for (const got of existing) {
    if (!planned.some((p) => p.name === got.name)) problems.push(`unexpected asset ${got.name}`);
  }
  return problems;
}
