// The "Provenance" part of the release notes: what was signed, by which
// workflow, and the `gh` commands that check it, or why nothing was signed.
import { RELEASE_PREDICATE_TYPE, signerWorkflowOf } from '@build-release-run/provenance';
import type { ReleaseAttestation } from './attest-release.ts';

export interface ProvenanceFacts {
  tag: string;
  repository: string;
  serverUrl: string;
  archive: string;
}

export function renderProvenance(attestation: ReleaseAttestation | undefined, facts: ProvenanceFacts): string[] {
  const lines = ['### Provenance', ''];
  if (attestation === undefined) {
    lines.push('This run resumed a draft made by an earlier attempt; see that attempt for its attestation.');
    return lines;
  }
  if (!attestation.attested) {
    lines.push(
      `\`release.json\` is **not attested**: ${attestation.reason}`,
      '',
      "The deploy action refuses an unattested release unless its input 'verify-provenance' is 'false'.",
    );
    return lines;
  }
  const workflow = signerWorkflowOf(attestation.signer, facts.serverUrl, facts.repository);
  lines.push(
    `\`release.json\` (\`${attestation.subject}\`) is attested${attestation.id === undefined ? '' : ` (attestation ${attestation.id})`}: ` +
      `an in-toto statement with the release facts (tag, environment, build and config digests, commit, previous release), ` +
      `signed through Sigstore by \`${attestation.signer}\`. The build archive carries its own SLSA build provenance from the build job.`,
    '',
    '```sh',
    `gh release download ${facts.tag} --repo ${facts.repository} --pattern release.json --pattern '${facts.archive}'`,
    `gh attestation verify release.json --repo ${facts.repository} --predicate-type '${RELEASE_PREDICATE_TYPE}'` +
      (workflow ? ` --signer-workflow ${facts.repository}/${workflow.path}` : ''),
    `gh attestation verify '${facts.archive}' --repo ${facts.repository}`,
    '```',
  );
  return lines;
}
