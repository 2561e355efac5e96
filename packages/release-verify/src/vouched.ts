/**
 * What GitHub's own asset digests vouch for in a release's notes, read from
 * the release object alone: the build digest its marker claims, when the
 * release has the build asset under that digest, and the config copy, when
 * it hashes to GitHub's digest of config.env and to the marker's config
 * digest. For the deploy summary's comparison with the release it replaced;
 * what deploy runs is verified through release.json (verify-release.ts).
 * Undefined when any part is missing or disagrees: read the release then.
 */
import { type Digest, shortDigest } from '@build-release-run/contract';
import type { Release } from '@build-release-run/github-api';
import {
  CONFIG_ASSET,
  type ReleaseConfig,
  configCopyOf,
  digestOf,
  parseConfigEnv,
  parseMarker,
} from '@build-release-run/release-format';

export function vouchedByGitHub(release: Release): { buildDigest: Digest; config: ReleaseConfig } | undefined {
  const marker = parseMarker(release.body);
  const copy = configCopyOf(release.body);
  if (marker === undefined || copy === undefined) return undefined;
  const config = release.assets.find((asset) => asset.name === CONFIG_ASSET);
  if (!config?.digest || digestOf(copy) !== config.digest || marker.config !== config.digest) return undefined;
  // The build asset is named after the digest it holds (names.ts): an archive or an image's manifest.
  const suffix = new RegExp(`-${shortDigest(marker.digest)}\\.(tar\\.gz|tar\\.zst|image\\.json)$`);
  const build = release.assets.find((asset) => asset.digest === marker.digest && suffix.test(asset.name));
  if (build === undefined || build.state !== 'uploaded') return undefined;
  try {
    return { buildDigest: marker.digest, config: parseConfigEnv(copy) };
  } catch {
    return undefined;
  }
}
