// Attests the release: an in-toto statement whose subject is release.json
// (by its sha256) and whose predicate holds the release facts, signed with
// the release job's OIDC identity and stored in the repository before the
// draft is made, so the notes can say what was attested and how to check it.
import type { Digest } from '@build-release-run/contract';
import { jobIdToken } from '@build-release-run/action-kit';
import type { ApiClient } from '@build-release-run/github-api';
import {
  type AttestDecision,
  AttestationsUnavailable,
  type ReleaseFacts,
  attest,
  releaseStatement,
  subjectFor,
} from '@build-release-run/provenance';
import { MANIFEST_ASSET } from '@build-release-run/release-format';

export type ReleaseAttestation =
  { attested: true; id: number | undefined; signer: string; subject: Digest } | { attested: false; reason: string };

export type AttestRelease = (manifestDigest: Digest, facts: ReleaseFacts) => Promise<ReleaseAttestation>;

/** The attestation step for this run, or one that reports why there is none. */
export function releaseAttester(decision: AttestDecision, client: ApiClient, required: boolean): AttestRelease {
  if (!decision.attest) {
    const reason = decision.notice ?? "the release action's input 'attest' is 'false'";
    return () => Promise.resolve({ attested: false, reason });
  }
  return async (manifestDigest, facts) => {
    try {
      const made = await attest({
        idToken: jobIdToken,
        endpoints: decision.endpoints,
        client,
        statement: () => releaseStatement(subjectFor(MANIFEST_ASSET, manifestDigest), facts),
      });
      return { attested: true, id: made.id, signer: `${decision.serverUrl}/${made.signer}`, subject: manifestDigest };
    } catch (error) {
      if (error instanceof AttestationsUnavailable && !required) return { attested: false, reason: error.message };
      throw error;
    }
  };
}
