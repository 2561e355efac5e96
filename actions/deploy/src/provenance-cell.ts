/** The deploy summary's provenance cell (markdown; signers are certificate URLs, shown as code). */
import { markdownCode } from '@build-release-run/contract';
import type { ProvenanceOutcome } from '@build-release-run/release-verify';

export function provenanceCell(outcome: ProvenanceOutcome): string {
  if (!outcome.checked)
    return '**not checked** (`verify-provenance: false`): nothing proves which workflow made this release';
  return `verified: release.json signed by ${markdownCode(outcome.releaseSigner)}, build by ${markdownCode(outcome.buildSigner)} (source ref ${markdownCode(outcome.sourceRef)})`;
}
