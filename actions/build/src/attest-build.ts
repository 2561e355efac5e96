// Attests the build: SLSA build provenance for the archive's digest, signed
// with the job's OIDC identity and stored in the repository, as
// actions/attest-build-provenance does, so `gh attestation verify <archive>
// --repo OWNER/REPO` finds it.
import { jobIdToken } from '@build-release-run/action-kit';
import { gitHubClient } from '@build-release-run/action-kit/github';
import {
  type AttestDecision,
  AttestationsUnavailable,
  attest,
  buildProvenanceStatement,
  subjectFor,
} from '@build-release-run/provenance';
import type { Digest } from '@build-release-run/contract';

/** What is attested: an archive (its file name) or an image (its name, verified as `oci://<image>@<digest>`). */
export interface AttestSubject {
  name: string;
  digest: Digest;
  /** What `gh attestation verify` is given. */
  verifyTarget: string;
}

export type BuildAttestation =
  | {
      attested: true;
      id: number | undefined;
      /** The signing workflow's URL at its ref (the certificate's SAN). */
      signer: string;
      /** The same as the token's `job_workflow_ref`: `owner/repo/.github/workflows/<file>@<ref>`. */
      workflowRef: string;
      verifyCommand: string;
    }
  | { attested: false; reason: string };

export interface AttestContext {
  token: string;
  apiUrl: string;
  repository: string;
}

export async function attestBuild(
  decision: Extract<AttestDecision, { attest: true }>,
  context: AttestContext,
  subject: AttestSubject,
): Promise<BuildAttestation> {
  const { client } = gitHubClient(context, { info: () => undefined });
  try {
    const made = await attest({
      idToken: jobIdToken,
      endpoints: decision.endpoints,
      client,
      statement: (claims) =>
        buildProvenanceStatement(subjectFor(subject.name, subject.digest), claims, decision.serverUrl),
    });
    return {
      attested: true,
      id: made.id,
      signer: `${decision.serverUrl}/${made.signer}`,
      workflowRef: made.signer,
      verifyCommand: `gh attestation verify ${subject.verifyTarget} --repo ${context.repository}`,
    };
  } catch (error) {
    if (error instanceof AttestationsUnavailable) return { attested: false, reason: error.message };
    throw error;
  }
}
