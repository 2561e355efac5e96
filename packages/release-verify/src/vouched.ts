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

/** `<name>-<first 12 hex of its digest>.<tar.gz|tar.zst|image.json>`: how a build's asset is named. */
const BUILD_ASSET = /-([0-9a-f]{12})\.(?:tar\.gz|tar\.zst|image\.json)$/;

export function vouchedByGitHub(release: Release): { buildDigest: Digest; config: ReleaseConfig } | undefined {
  const marker = parseMarker(release.body);
  const copy = configCopyOf(release.body);
  if (marker === undefined || copy === undefined) return undefined;
  const config = release.assets.find((asset) => asset.name === CONFIG_ASSET);
  if (!config?.digest || digestOf(copy) !== config.digest || marker.config !== config.digest) return undefined;
  // The build asset is named after the digest it holds (names.ts): an archive or an image's manifest.
  // Exactly one asset may look like one, so an attachment named like a build cannot stand in for it.
  const builds = release.assets.filter((asset) => BUILD_ASSET.test(asset.name));
  const [build] = builds;
  if (builds.length !== 1 || build === undefined || build.state !== 'uploaded') return undefined;
  if (build.digest !== marker.digest || BUILD_ASSET.exec(build.name)?.[1] !== shortDigest(marker.digest))
    return undefined;
  try {
    return { buildDigest: marker.digest, config: parseConfigEnv(copy) };
  } catch {
    return undefined;
  }
}
