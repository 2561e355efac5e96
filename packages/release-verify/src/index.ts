export { VerificationError } from './errors.ts';
export { type AnchorInputs, checkExpectedDigest, checkImmutable, checkTagCommit } from './anchors.ts';
export {
  type RegistryAccess,
  type VerifiedImageRelease,
  readRegistryInputs,
  verifyImageRelease,
} from './image-release.ts';
export { type TrustInputs, type VerifyLog, readTrustInputs } from './inputs.ts';
export { type ProvenanceInputs, type ProvenanceOutcome, checkProvenance } from './provenance-check.ts';
export { type AnchoredRelease, verifyAnchoredRelease } from './verify-anchored.ts';
export {
  MAX_SMALL_ASSET,
  type VerifiedManifest,
  type VerifiedPayload,
  verifyManifest,
  verifyPayload,
  verifiedConfig,
} from './verify-release.ts';
export { vouchedByGitHub } from './vouched.ts';
export { releaseForTag, requireManifest, requireReleaseTag } from './find-release.ts';
export { type ReleaseDiff, type ReleaseSide, diffFromRelease, diffReleases } from './compare.ts';
