// The "Provenance" part of the release notes: what was signed, by which
// workflow, and the `gh` commands that check it, or why nothing was signed.
import { markdownCode } from '@build-release-run/contract';
import { RELEASE_PREDICATE_TYPE, signerWorkflowOf } from '@build-release-run/provenance';
import type { ReleaseAttestation } from './attest-release.ts';

export interface ProvenanceFacts {
  tag: string;
  repository: string;
  serverUrl: string;
  archive: string;
  /** The reusable build workflow that built it (release.json build.builder). */
  builder?: string | undefined;
}

/** The SLSA Build level the release's build claims, and what deploy requires of it. */
export function buildLevelLine(builder: string | undefined): string {
  return builder === undefined
    ? '**SLSA Build L2**: the build was signed by the job that ran its build command (the build action).'
    : `**SLSA Build L3**: the build was made and signed by the reusable build workflow ${markdownCode(builder)}, ` +
        'whose signing job runs no command of the caller; deploy requires its attestation signed by that builder.';
}

export function renderProvenance(attestation: ReleaseAttestation | undefined, facts: ProvenanceFacts): string[] {
  const lines = ['### Provenance', '', buildLevelLine(facts.builder), ''];
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
      `signed through Sigstore by \`${attestation.signer}\`. The build carries its own SLSA build provenance from the job that signed it.`,
    '',
    '```sh',
    `gh release download ${facts.tag} --repo ${facts.repository} --pattern release.json --pattern '${facts.archive}'`,
    `gh attestation verify release.json --repo ${facts.repository} --predicate-type '${RELEASE_PREDICATE_TYPE}'` +
      (workflow ? ` --signer-workflow ${facts.repository}/${workflow.path}` : ''),
    `gh attestation verify '${facts.archive}' --repo ${facts.repository}` +
      (facts.builder === undefined
        ? ''
        : ` --signer-workflow ${facts.builder.slice(0, facts.builder.lastIndexOf('@'))}`),
    '```',
  );
  return lines;
}
