/** The fixed names of a release's assets, and the archive's name rule. */
import { type Digest, isBuildName, shortDigest } from '@build-release-run/contract';

export const CONFIG_ASSET = 'config.env';
export const MANIFEST_ASSET = 'release.json';
export const CHECKSUMS_ASSET = 'SHA256SUMS';

export const ARCHIVE_FORMATS = ['tar.gz', 'tar.zst'] as const;
export type ReleaseArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** `<build name>-<first 12 hex of digest>.<format>`, the name the build action gives its archive. */
export function archiveAssetName(buildName: string, digest: Digest, format: ReleaseArchiveFormat): string {
  if (!isBuildName(buildName)) throw new Error(`not a build name: ${JSON.stringify(buildName)}`);
  return `${buildName}-${shortDigest(digest)}.${format}`;
}

export interface ArchiveNameParts {
  buildName: string;
  short: string;
  format: ReleaseArchiveFormat;
}

/** Splits an archive asset name; undefined when it does not follow the rule. */
export function parseArchiveAssetName(name: string): ArchiveNameParts | undefined {
  const match = /^(.+)-([0-9a-f]{12})\.(tar\.gz|tar\.zst)$/.exec(name);
  if (!match || !isBuildName(match[1] as string)) return undefined;
  return { buildName: match[1] as string, short: match[2] as string, format: match[3] as ReleaseArchiveFormat };
}

/** The build format of a container image: the release stores its manifest (or index) bytes, not an archive. */
export const IMAGE_FORMAT = 'image';

/** In an image build's artifact, beside the manifest bytes: the image record (registry, repository, media type, platforms). */
export const IMAGE_RECORD_FILE = 'image-record.json';

/**
 * `<last repository component>-<first 12 hex of digest>.image.json`: the
 * asset holding an image's manifest bytes, so the sha256 of the asset is the
 * image digest. Repository components are lower-case letters, digits and
 * separators, so the stem is always a build name.
 */
export function imageManifestAssetName(repository: string, digest: Digest): string {
  const stem = (repository.split('/').pop() ?? '').slice(0, 100);
  if (!isBuildName(stem)) throw new Error(`not an image repository: ${JSON.stringify(repository)}`);
  return `${stem}-${shortDigest(digest)}.image.json`;
}
