/**
 * The digest chain, checked before anything is used. Every asset is streamed
 * to disk and hashed on the way; its sha256 must equal GitHub's own asset
 * digest, the line in SHA256SUMS, and (for the archive, the config and the
 * attached files) release.json. release.json itself is tied to GitHub's
 * digest and SHA256SUMS, which is checked without a download when GitHub's
 * digest of it is the digest of the text release.json implies.
 *
 * These are the only functions that download a release's assets: `readConfig`
 * is the only way anything reads a release's config.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Digest, errorMessage } from '@build-release-run/contract';
import { formatBytes, formatBytesExact } from '@build-release-run/progress';
import { AssetTooLargeError, type GitHubApi, type Release, type ReleaseAsset } from '@build-release-run/github-api';
import {
  CHECKSUMS_ASSET,
  type Checksum,
  MANIFEST_ASSET,
  type ReleaseConfig,
  type ReleaseManifest,
  digestOf,
  formatChecksums,
  parseChecksums,
  parseConfigEnv,
  parseManifest,
  releaseChecksums,
} from '@build-release-run/release-format';
import { VerificationError } from './errors.ts';

/** A release whose release.json and SHA256SUMS are verified against each other and GitHub's digests. */
export interface VerifiedManifest {
  release: Release;
  manifest: ReleaseManifest;
  manifestDigest: Digest;
  checksums: Checksum[];
}

export interface VerifiedPayload {
  config: ReleaseConfig;
  /** The archive on disk, its bytes verified against the manifest. */
  archiveFile: string;
  /** The attached files (release.json's attachments), each under its asset name, verified; maybe empty. */
  assetsDir: string;
}

// The small assets are read into memory after their digest is checked; a
// release's manifest, checksums and config are a few kilobytes.
export const MAX_SMALL_ASSET = 1024 * 1024;

export async function readManifest(api: GitHubApi, release: Release, workDir: string): Promise<VerifiedManifest> {
  refuseIncompleteAssets(release);
  const sumsAsset = requireAsset(release, CHECKSUMS_ASSET);
  const manifestAsset = requireAsset(release, MANIFEST_ASSET);
  // GitHub's digests of both: release.json is checked against its own, and
  // SHA256SUMS, which release.json implies line for line, against its own
  // without being read. Otherwise SHA256SUMS is read first and vouches for release.json.
  const readFirst = manifestAsset.digest && sumsAsset.digest ? undefined : await readChecksums(api, release, workDir);
  const manifestFile = await download(
    api,
    manifestAsset,
    workDir,
    readFirst ? { [CHECKSUMS_ASSET]: listedIn(release, readFirst, MANIFEST_ASSET) } : {},
    MAX_SMALL_ASSET,
  );
  let manifest: ReleaseManifest;
  try {
    manifest = parseManifest(await readFile(manifestFile.file, 'utf8'));
  } catch (error) {
    throw new VerificationError(`${release.tag_name}: ${errorMessage(error)}`);
  }
  if (manifest.tag !== release.tag_name) {
    throw new VerificationError(
      `${release.tag_name}: its ${MANIFEST_ASSET} describes tag '${manifest.tag}', not '${release.tag_name}'; the release's assets were mixed up`,
    );
  }
  const implied = releaseChecksums(manifest, manifestFile.digest);
  if (readFirst === undefined && digestOf(formatChecksums(implied)) === sumsAsset.digest) {
    return { release, manifest, manifestDigest: manifestFile.digest, checksums: implied };
  }
  // Read (again, or for the first time): a SHA256SUMS that is not the implied text is checked line by line,
  // so the error names the line.
  const checksums = readFirst ?? (await readChecksums(api, release, workDir));
  const manifestLine = listedIn(release, checksums, MANIFEST_ASSET);
  if (manifestLine !== manifestFile.digest) {
    throw new VerificationError(
      `${MANIFEST_ASSET}: its bytes hash to ${manifestFile.digest}, but ${CHECKSUMS_ASSET} says ${manifestLine}. The asset changed after it was released; refusing to use it.`,
    );
  }
  // SHA256SUMS must cover exactly the other assets the manifest names.
  const expected = implied.map((checksum) => checksum.name).sort();
  const covered = checksums.map((checksum) => checksum.name).sort();
  if (expected.join('\n') !== covered.join('\n')) {
    throw new VerificationError(
      `${release.tag_name}: ${CHECKSUMS_ASSET} lists ${covered.join(', ')}, but the release is made of ${expected.join(', ')}`,
    );
  }
  return { release, manifest, manifestDigest: manifestFile.digest, checksums };
}

async function readChecksums(api: GitHubApi, release: Release, workDir: string): Promise<Checksum[]> {
  const sumsFile = await download(api, requireAsset(release, CHECKSUMS_ASSET), workDir, {}, MAX_SMALL_ASSET);
  try {
    return parseChecksums(await readFile(sumsFile.file, 'utf8'));
  } catch (error) {
    throw new VerificationError(`${release.tag_name}: ${CHECKSUMS_ASSET} is unreadable (${errorMessage(error)})`);
  }
}

function listedIn(release: Release, checksums: readonly Checksum[], name: string): Digest {
  const line = checksums.find((checksum) => checksum.name === name);
  return line === undefined ? missingLine(release, name) : `sha256:${line.sha256}`;
}

/** config.env, the archive (or an image's manifest) and the attached files, each verified. */
export async function readPayload(
  api: GitHubApi,
  verified: VerifiedManifest,
  workDir: string,
): Promise<VerifiedPayload> {
  const { release, manifest, checksums } = verified;
  const listed = (name: string): Digest => listedIn(release, checksums, name);

  const config = await readConfig(api, verified, workDir);

  const archiveAsset = requireAsset(release, manifest.build.archive);
  if (archiveAsset.size !== manifest.build.size) {
    throw new VerificationError(
      `${release.tag_name}: the archive ${archiveAsset.name} is ${formatBytesExact(archiveAsset.size)} on GitHub, but the manifest says ${formatBytesExact(manifest.build.size)}`,
    );
  }
  const archive = await download(api, archiveAsset, workDir, {
    [MANIFEST_ASSET]: manifest.build.digest,
    [CHECKSUMS_ASSET]: listed(manifest.build.archive),
  });
  // Verified like the archive (GitHub's digest, SHA256SUMS, release.json), each under its own name.
  const assetsDir = path.join(workDir, 'release-assets');
  await mkdir(assetsDir, { recursive: true });
  for (const attachment of manifest.attachments ?? []) {
    await download(
      api,
      requireAsset(release, attachment.name),
      workDir,
      { [MANIFEST_ASSET]: attachment.digest, [CHECKSUMS_ASSET]: listed(attachment.name) },
      undefined,
      path.join(assetsDir, attachment.name),
    );
  }
  return { config, archiveFile: archive.file, assetsDir };
}

/**
 * config.env, downloaded and checked against GitHub's digest, its SHA256SUMS
 * line and release.json, then parsed and held to the keys release.json lists.
 */
export async function readConfig(api: GitHubApi, verified: VerifiedManifest, workDir: string): Promise<ReleaseConfig> {
  const { release, manifest, checksums } = verified;
  const file = await download(
    api,
    requireAsset(release, manifest.config.asset),
    workDir,
    {
      [MANIFEST_ASSET]: manifest.config.digest,
      [CHECKSUMS_ASSET]: listedIn(release, checksums, manifest.config.asset),
    },
    MAX_SMALL_ASSET,
  );
  let config: ReleaseConfig;
  try {
    config = parseConfigEnv(await readFile(file.file, 'utf8'));
  } catch (error) {
    throw new VerificationError(`${release.tag_name}: ${manifest.config.asset} is unreadable (${errorMessage(error)})`);
  }
  const keys = Object.keys(config.values).sort().join(',');
  if (
    keys !== [...manifest.config.keys].sort().join(',') ||
    config.secretKeys.join(',') !== [...manifest.config.secretKeys].sort().join(',')
  ) {
    throw new VerificationError(
      `${release.tag_name}: ${manifest.config.asset} does not hold the keys its manifest lists`,
    );
  }
  return config;
}

/**
 * Streams one asset to `workDir`, hashing it on the way (retries and the
 * 302 are the gateway's), then compares the sha256 with every claim about
 * it: GitHub's asset digest (when GitHub has one) and the given sources.
 */
async function download(
  api: GitHubApi,
  asset: ReleaseAsset,
  workDir: string,
  claims: Record<string, Digest>,
  maxSize?: number,
  file = path.join(workDir, `asset-${asset.id}`),
): Promise<{ file: string; digest: Digest }> {
  if (maxSize !== undefined && asset.size > maxSize) {
    throw new VerificationError(
      `${asset.name} is ${formatBytes(asset.size)}; a release's ${asset.name} is never over ${formatBytes(maxSize)}`,
    );
  }
  // Never more bytes than GitHub lists (checked again below for fewer).
  let result: { size: number; digest: string };
  try {
    result = await api.downloadReleaseAsset(asset.id, file, asset.name, asset.size);
  } catch (error) {
    if (error instanceof AssetTooLargeError) throw new VerificationError(error.message);
    throw error;
  }
  const digest = result.digest as Digest;
  const allClaims: Record<string, string> = { ...claims };
  if (asset.digest) allClaims["GitHub's asset digest"] = asset.digest;
  for (const [source, claimed] of Object.entries(allClaims)) {
    if (claimed !== digest) {
      throw new VerificationError(
        `${asset.name}: its bytes hash to ${digest}, but ${source} says ${claimed}. The asset changed after it was released; refusing to use it.`,
      );
    }
  }
  if (result.size !== asset.size) {
    throw new VerificationError(
      `${asset.name}: downloaded ${formatBytesExact(result.size)}, but GitHub lists ${formatBytesExact(asset.size)}`,
    );
  }
  return { file, digest };
}

function requireAsset(release: Release, name: string): ReleaseAsset {
  const asset = release.assets.find((candidate) => candidate.name === name);
  if (asset === undefined) {
    throw new VerificationError(`${release.tag_name}: the release has no asset '${name}', which its manifest requires`);
  }
  return asset;
}

function refuseIncompleteAssets(release: Release): void {
  const partial = release.assets.filter((asset) => asset.state !== 'uploaded').map((asset) => asset.name);
  if (partial.length > 0) {
    throw new VerificationError(`${release.tag_name}: asset(s) ${partial.join(', ')} were never fully uploaded`);
  }
}

function missingLine(release: Release, name: string): never {
  throw new VerificationError(`${release.tag_name}: ${CHECKSUMS_ASSET} has no line for ${name}`);
}
