// What deploy checks before it creates a deployment: an attestation of the
// release's release.json (release predicate) and one of its build archive
// (SLSA provenance), each fetched from the repository's attestations,
// verified against the trusted root and the identity policy. Any one
// verifying bundle per subject suffices; when none does, the error names the
// missing attestation or the claim that did not match.
import type { Digest } from '@build-release-run/contract';
import type { ApiClient } from '@build-release-run/github-api';
import { AttestationsUnavailable, listAttestations } from './attestation-api.ts';
import type { ProvenancePolicy } from './policy.ts';
import { RELEASE_PREDICATE_TYPE, SLSA_PROVENANCE_PREDICATE_TYPE } from './statements.ts';
import { ProvenanceError, type VerifiedAttestation, verifyAttestation } from './verify.ts';

export interface ReleaseProvenanceRequest {
  client: ApiClient;
  trustedRoot: unknown;
  /** sha256 of the release's release.json asset, and the name shown in errors (the tag). */
  release: { tag: string; manifest: Digest };
  build: Digest;
  /** The release's policy (signer-workflow, source-ref) and the build's; often the same. */
  releasePolicy: ProvenancePolicy;
  buildPolicy: ProvenancePolicy;
}

export interface ReleaseProvenance {
  release: VerifiedAttestation;
  build: VerifiedAttestation;
}

async function verifyOne(
  client: ApiClient,
  trustedRoot: unknown,
  what: string,
  subject: Digest,
  predicateType: string,
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
      return verifyAttestation({ bundle, trustedRoot, policy, subject, predicateType });
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
    RELEASE_PREDICATE_TYPE,
    request.releasePolicy,
  );
  const build = await verifyOne(
    request.client,
    request.trustedRoot,
    `the build of ${request.release.tag}`,
    request.build,
    SLSA_PROVENANCE_PREDICATE_TYPE,
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
