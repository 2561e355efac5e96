export { type CertificateIdentity, FULCIO_OIDS, certificateIdentity } from './certificate-identity.ts';
export { type SigningEndpoints, type Visibility, signingEndpoints } from './endpoints.ts';
export { type IdTokenSource, type WorkflowClaims, grantsIdToken, workflowClaims } from './id-token.ts';
export {
  type PolicyMismatch,
  type ProvenancePolicy,
  type SignerRule,
  type SigningWorkflow,
  checkIdentity,
  ruleUri,
  signerWorkflowOf,
  signingWorkflowOf,
} from './policy.ts';
export type { SerializedBundle, SignOptions } from './sign.ts';
export { signStatement } from './sign-on-demand.ts';
export {
  GITHUB_WORKFLOW_BUILD_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  RELEASE_PREDICATE_TYPE,
  type ReleaseFacts,
  SLSA_PROVENANCE_PREDICATE_TYPE,
  type Statement,
  type Subject,
  buildProvenanceStatement,
  releaseStatement,
  subjectFor,
  workflowPath,
} from './statements.ts';
export { ProvenanceError, type VerifiedAttestation, type VerifyOptions, verifyAttestation } from './verify.ts';
export { AttestationsUnavailable, listAttestations, storeAttestation } from './attestation-api.ts';
export { type AttestOptions, type Attestation, attest } from './attest.ts';
export {
  type AttestDecision,
  type AttestMode,
  PERMISSIONS_HINT,
  decideAttest,
  parseAttestMode,
  visibilityFromEnv,
  visibilityFromEvent,
} from './attest-input.ts';
export {
  BUILD_CLAIM,
  type ClaimKind,
  RELEASE_CLAIM,
  type ReleaseProvenance,
  type ReleaseProvenanceRequest,
  verifyReleaseProvenance,
} from './verify-release.ts';
export {
  GITHUB_ACTIONS_TOKEN_ISSUER,
  type IdentityInstance,
  defaultBranchFromEvent,
  identityInstance,
  parseSigners,
  parseSourceRef,
  BUILDER_WORKFLOW_PATH,
  defaultBuilders,
} from './deploy-policy.ts';
