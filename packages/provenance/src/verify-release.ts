// What a release's reader checks before its build is used: an attestation of
// the release's release.json (the release predicate, signed by a workflow
// input 'release-signer' allows) and one of its build (SLSA provenance v1 of
// an accepted build type, signed by a workflow 'build-signer' allows), each
// fetched from the repository's attestations and verified against the
// trusted root and that claim's policy. Any one verifying bundle per subject
// suffices; when none does, the error names the missing attestation or the
// claim that did not match.
import type { Digest } from '@build-release-run/contract';
import type { ApiClient } from '@build-release-run/github-api';
import { AttestationsUnavailable, listAttestations } from './attestation-api.ts';
import type { ProvenancePolicy } from './policy.ts';
import { GITHUB_WORKFLOW_BUILD_TYPE, RELEASE_PREDICATE_TYPE, SLSA_PROVENANCE_PREDICATE_TYPE } from './statements.ts';
import { ProvenanceError, type VerifiedAttestation, verifyAttestation } from './verify.ts';

export interface ReleaseProvenanceRequest {
  client: ApiClient;
  trustedRoot: unknown;
  /** sha256 of the release's release.json asset, and the name shown in errors (the tag). */
  release: { tag: string; manifest: Digest };
  build: Digest;
  /** Each claim's policy: its own signers (release-signer, build-signer); the build's also names the built commit. */
  releasePolicy: ProvenancePolicy;
  buildPolicy: ProvenancePolicy;
}

/** What each claim must be, besides its signer: the predicate, and for the build the build types accepted. */
export interface ClaimKind {
  predicateType: string;
  buildTypes?: readonly string[];
}

/** release.json: our release predicate. */
export const RELEASE_CLAIM: ClaimKind = { predicateType: RELEASE_PREDICATE_TYPE };

/**
 * The build: SLSA provenance v1 of GitHub's workflow build type (what the build
 * action and actions/attest-build-provenance write). A builder with a build
 * type of its own is one more entry here and one more signer rule.
 */
export const BUILD_CLAIM: ClaimKind = {
  predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
  buildTypes: [GITHUB_WORKFLOW_BUILD_TYPE],
};

export interface ReleaseProvenance {
  release: VerifiedAttestation;
  build: VerifiedAttestation;
}

async function verifyOne(
  client: ApiClient,
  trustedRoot: unknown,
  what: string,
  subject: Digest,
  kind: ClaimKind,
  policy: ProvenancePolicy,
): Promise<VerifiedAttestation> {
  let bundles: unknown[];
  try {
    bundles = await listAttestations(client, subject);
  } catch (error) {
    if (!(error instanceof AttestationsUnavailable)) throw error;
    throw new ProvenanceError(
      'attestation',
      `Cannot check the attestation of ${what}: ${error.message} Deploy verifies provenance by default; set 'verify-provenance: false' to deploy without it.`,
      'verify-provenance',
    );
  }
  if (bundles.length === 0) {
    throw new ProvenanceError(
      'attestation',
      `No attestation of ${what} (${subject}) in ${policy.repository}: nothing proves a workflow of this repository made it. ` +
        "Attest it (the build and release actions do when their job grants 'id-token: write' and 'attestations: write'). " +
        "Where GitHub offers no attestations (private repositories outside GitHub Enterprise Cloud answer none), set 'verify-provenance: false' to deploy without provenance.",
      'verify-provenance',
    );
  }
  const refusals: ProvenanceError[] = [];
  for (const bundle of bundles) {
    try {
      return verifyAttestation({ bundle, trustedRoot, policy, subject, ...kind });
    } catch (error) {
      if (!(error instanceof ProvenanceError)) throw error;
      refusals.push(error);
    }
  }
  // The refusal of the newest attestation speaks for all, with a count.
  const first = refusals[0]!;
  const others = refusals.length > 1 ? ` (${refusals.length - 1} older attestations refused as well)` : '';
  throw new ProvenanceError(
    first.claim,
    `The attestation of ${what} (${subject}) is refused: ${first.message}${others}`,
    first.input,
  );
}

export async function verifyReleaseProvenance(request: ReleaseProvenanceRequest): Promise<ReleaseProvenance> {
  const release = await verifyOne(
    request.client,
    request.trustedRoot,
    `release.json of ${request.release.tag}`,
    request.release.manifest,
    RELEASE_CLAIM,
    request.releasePolicy,
  );
  const build = await verifyOne(
    request.client,
    request.trustedRoot,
    `the build of ${request.release.tag}`,
    request.build,
    BUILD_CLAIM,
    request.buildPolicy,
  );
  // The signed release facts must name the build deploy is about to run.
  const signedBuild = (release.statement.predicate['build'] as { digest?: unknown } | undefined)?.digest;
  if (signedBuild !== request.build) {
    throw new ProvenanceError(
      'release build digest',
      `The attested release.json of ${request.release.tag} names the build ${String(signedBuild)}, not ${request.build}.`,
    );
  }
  return { release, build };
}
