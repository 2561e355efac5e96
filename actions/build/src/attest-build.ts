// Attests the build: SLSA build provenance for the archive's digest, signed
// with the job's OIDC identity and stored in the repository, as
// actions/attest-build-provenance does, so `gh attestation verify <archive>
// --repo OWNER/REPO` finds it.
import path from 'node:path';
import { gitHubClient } from '@build-release-run/action-kit/github';
import {
  type AttestDecision,
  AttestationsUnavailable,
  attest,
  buildProvenanceStatement,
  subjectFor,
} from '@build-release-run/provenance';
import type { BuildResult } from './build.ts';

export type BuildAttestation =
  | { attested: true; id: number | undefined; signer: string; verifyCommand: string }
  | { attested: false; reason: string };

export interface AttestContext {
  token: string;
  apiUrl: string;
  repository: string;
}

export async function attestBuild(
  decision: Extract<AttestDecision, { attest: true }>,
  context: AttestContext,
  result: BuildResult,
): Promise<BuildAttestation> {
  const { client } = gitHubClient(context, { info: () => undefined });
  try {
    const made = await attest({
      idToken: decision.idToken,
      endpoints: decision.endpoints,
      client,
      statement: (claims) =>
        buildProvenanceStatement(subjectFor(path.basename(result.archive), result.digest), claims, decision.serverUrl),
    });
    return {
      attested: true,
      id: made.id,
      signer: `${decision.serverUrl}/${made.signer}`,
      verifyCommand: `gh attestation verify ${path.basename(result.archive)} --repo ${context.repository}`,
    };
  } catch (error) {
    if (error instanceof AttestationsUnavailable) return { attested: false, reason: error.message };
    throw error;
  }
}
