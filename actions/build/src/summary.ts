import { formatBytes } from '@build-release-run/contract';
import type { BuildInputs } from './inputs.ts';
import type { BuildResult } from './build.ts';
import type { BuildAttestation } from './attest-build.ts';

const SHOWN_ENTRIES = 20;

/** The job summary, as markdown: what was built and how to refer to it. */
export function renderSummary(inputs: BuildInputs, result: BuildResult, attestation?: BuildAttestation): string {
  const shown = result.entries.slice(0, SHOWN_ENTRIES).map((entry) => {
    const suffix = entry.type === 'directory' ? '/' : entry.type === 'symlink' ? ` -> ${entry.linkname}` : '';
    return `${entry.mode.toString(8)} ${entry.name}${suffix}`;
  });
  const more = result.entries.length - shown.length;
  return [
    `## Build \`${inputs.name}\``,
    '',
    '| | |',
    '| --- | --- |',
    `| Digest | \`${result.digest}\` |`,
    `| Archive | \`${result.archive.split(/[\\/]/).pop()}\` (${inputs.format}) |`,
    `| Size | ${formatBytes(result.size)} (${result.size} bytes) |`,
    `| Files | ${result.files} (${result.entries.length} entries) |`,
    `| Artifact | \`${result.artifactName}\` |`,
    `| Provenance | ${provenanceCell(attestation)} |`,
    '',
    `<details><summary>First ${shown.length} of ${result.entries.length} entries</summary>`,
    '',
    '```',
    ...shown,
    ...(more > 0 ? [`… and ${more} more`] : []),
    '```',
    '',
    '</details>',
    '',
    'Pass the digest to the release action (`digest: ${{ needs.<build job>.outputs.digest }}`); it fetches this artifact by that digest and checks every byte.',
    '',
  ].join('\n');
}

function provenanceCell(attestation: BuildAttestation | undefined): string {
  if (attestation === undefined) return 'not attested';
  if (!attestation.attested) return 'not attested: GitHub offers no attestations for this repository';
  return `SLSA build provenance signed by \`${attestation.signer}\`; verify with \`${attestation.verifyCommand}\``;
}
