export { VerificationError } from './errors.ts';
export { checkExpectedDigest, checkImmutable, checkTagCommit } from './anchors.ts';
export { type RegistryAccess, type VerifiedImageRelease, checkImage, readRegistryInputs } from './image-release.ts';
export { type ProvenanceInputs, TRUST_INPUTS, type TrustInputs, type VerifyLog, readTrustInputs } from './inputs.ts';
export { type ProvenanceContext, type ProvenanceOutcome, checkProvenance, sourceRefOf } from './provenance-check.ts';
export {
  type AnchoredRelease,
  type ReadOptions,
  type ReleaseStanding,
  type VerifiedRelease,
  judgeRelease,
  readAnchored,
  readProvenance,
  readRelease,
} from './read-release.ts';
export {
  MAX_SMALL_ASSET,
  type VerifiedManifest,
  type VerifiedPayload,
  readConfig,
  readManifest,
  readPayload,
} from './digest-chain.ts';
export { findRelease, requireManifest, requireReleaseTag } from './find-release.ts';
export { type ReleaseDiff, type ReleaseSide, diffFromRelease, diffReleases, readSide } from './compare.ts';
