import { markdownCode, markdownCodeBlock } from '@build-release-run/contract';
import { formatBytesExact } from '@build-release-run/progress';
import type { BuildInputs } from './inputs.ts';
import type { BuildResult } from './build.ts';
import type { BuildAttestation } from './attest-build.ts';

const SHOWN_ENTRIES = 20;

/**
 * The job summary, as markdown: what was built and how to refer to it.
 * `uploaded`: whether the archive went to the workflow's artifact storage.
 */
export function renderSummary(
  inputs: BuildInputs,
  result: BuildResult,
  uploaded: boolean,
  attestation?: BuildAttestation,
): string {
  const shown = result.entries.slice(0, SHOWN_ENTRIES).map((entry) => {
    const suffix = entry.type === 'directory' ? '/' : entry.type === 'symlink' ? ` -> ${entry.linkname}` : '';
    return `${entry.mode.toString(8)} ${entry.name}${suffix}`;
  });
  const more = result.entries.length - shown.length;
  return [
    `## Build ${markdownCode(inputs.name)}`,
    '',
    '| | |',
    '| --- | --- |',
    `| Digest | \`${result.digest}\` |`,
    `| Archive | \`${result.archive.split(/[\\/]/).pop()}\` (${inputs.format}) |`,
    `| Size | ${formatBytesExact(result.size)} |`,
    `| Files | ${result.files} (${result.entries.length} entries) |`,
    uploaded
      ? `| Artifact | \`${result.artifactName}\` |`
      : '| Artifact | not uploaded: no artifact storage here; pass the `archive` output to the release action |',
    `| Provenance | ${provenanceCell(attestation)} |`,
    '',
    `<details><summary>First ${shown.length} of ${result.entries.length} entries</summary>`,
    '',
    // Entry names come from the build output: a fence longer than any backtick run in them.
    markdownCodeBlock([...shown, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n')),
    '',
    '</details>',
    '',
    uploaded
      ? 'Pass the digest to the release action (`digest: ${{ needs.<build job>.outputs.digest }}`); it fetches this artifact by that digest and checks every byte.'
      : 'Pass the digest and the `archive` output to the release action; it checks every byte against the digest.',
    '',
  ].join('\n');
}

export function provenanceCell(attestation: BuildAttestation | undefined): string {
  if (attestation === undefined) return 'not attested';
  if (!attestation.attested) return 'not attested: GitHub offers no attestations for this repository';
  return `SLSA build provenance signed by \`${attestation.signer}\`; verify with \`${attestation.verifyCommand}\``;
}
