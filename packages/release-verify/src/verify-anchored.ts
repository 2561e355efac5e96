/**
 * The checks every use of a release starts with, in one order: immutable →
 * release.json and SHA256SUMS verified → the build the caller expects → the
 * tag at the built commit → (an image release) its manifest asset and the
 * registry. Provenance and the payload follow where each caller needs them.
 */
import type { GitHubApi, Release } from '@build-release-run/github-api';
import type { ReleaseManifest } from '@build-release-run/release-format';
import { type AnchorInputs, checkExpectedDigest, checkImmutable, checkTagCommit } from './anchors.ts';
import { type RegistryAccess, type VerifiedImageRelease, verifyImageRelease } from './image-release.ts';
import type { VerifyLog } from './inputs.ts';
import { type VerifiedManifest, verifyManifest } from './verify-release.ts';

export interface AnchoredRelease {
  verified: VerifiedManifest;
  /** Undefined for an archive release. */
  image: VerifiedImageRelease | undefined;
}

export async function verifyAnchoredRelease(
  api: GitHubApi,
  release: Release,
  workDir: string,
  checks: AnchorInputs & {
    registry: RegistryAccess;
    /** Called once release.json is verified, before it is anchored (deploy records it and refuses reserved keys). */
    onManifest?: (manifest: ReleaseManifest) => void;
    /** release.json and SHA256SUMS as already verified for this release (deploy choosing `latest`): not read again. */
    verified?: VerifiedManifest | undefined;
  },
  io: VerifyLog,
): Promise<AnchoredRelease> {
  checkImmutable(release, checks);
  const verified = checks.verified ?? (await verifyManifest(api, release, workDir));
  checks.onManifest?.(verified.manifest);
  checkExpectedDigest(verified.manifest, checks);
  await checkTagCommit(api, verified.manifest);
  const image = await verifyImageRelease(api, release, verified, workDir, checks.registry, io);
  return { verified, image };
}
