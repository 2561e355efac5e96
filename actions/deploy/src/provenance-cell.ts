/** The deploy summary's provenance cell (markdown; signers are certificate URLs, shown as code). */
import { markdownCode } from '@build-release-run/contract';
import type { ProvenanceOutcome } from '@build-release-run/release-verify';

export function provenanceCell(outcome: ProvenanceOutcome): string {
  if (!outcome.checked)
    return '**not checked** (`verify-provenance: false`): nothing proves which workflow made this release';
  const unnamed = [
    ...(outcome.named.release ? [] : ['`release-signer`']),
    ...(outcome.named.build ? [] : ['`build-signer`']),
  ];
  const note =
    unnamed.length === 0
      ? ''
      : `; the signer was not named (${unnamed.join(', ')} empty: any workflow of the repository on that ref was accepted)`;
  const level =
    outcome.level === 3
      ? 'SLSA Build L3 (built and signed by the reusable build workflow)'
      : 'SLSA Build L2 (signed by the job that built it)';
  return `verified, ${level}: release.json signed by ${markdownCode(outcome.releaseSigner)}, build by ${markdownCode(outcome.buildSigner)} (source ref ${markdownCode(outcome.sourceRef)})${note}`;
}
