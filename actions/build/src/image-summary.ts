import { markdownCode, markdownTableCell } from '@build-release-run/contract';
import { formatBytesExact } from '@build-release-run/progress';
import type { BuildAttestation } from './attest-build.ts';
import type { ImageBuildResult } from './image-build.ts';
import { provenanceCell } from './summary.ts';

/** The job summary of an image build. Registry values were validated (validateImageRecord) and are still escaped for markdown. */
export function renderImageSummary(
  result: ImageBuildResult,
  uploaded: boolean,
  attestation: BuildAttestation | undefined,
): string {
  const cell = (text: string): string => markdownTableCell(markdownCode(text));
  return [
    `## Build: container image`,
    '',
    '| | |',
    '| --- | --- |',
    `| Digest | ${cell(result.digest)} |`,
    `| Image | ${cell(result.image)} |`,
    `| Media type | ${cell(result.record.mediaType)} |`,
    `| Platforms | ${result.record.platforms.map(cell).join(', ')} |`,
    `| Manifest | ${formatBytesExact(result.size)} |`,
    uploaded
      ? `| Artifact | ${cell(result.artifactName)} |`
      : '| Artifact | not uploaded: no artifact storage here; pass the `image` output to the release action |',
    `| Provenance | ${provenanceCell(attestation)} |`,
    '',
    'Pass the digest to the release action (`digest: ${{ needs.<build job>.outputs.digest }}`); it takes the manifest from this artifact, and deploy checks that the registry still serves exactly those bytes.',
    '',
  ].join('\n');
}
