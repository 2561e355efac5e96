/**
 * The inputs that say which releases are trusted, read the same way by every
 * action that verifies a release (deploy; release with `from-release`).
 */
import { ConfigurationError } from '@build-release-run/contract';
import { parseSignerWorkflows, parseSourceRef } from '@build-release-run/provenance';
import type { ProvenanceInputs } from './provenance-check.ts';

/** Where verification reports what it checked (the action's log). */
export interface VerifyLog {
  info(message: string): void;
}

export interface TrustInputs {
  /** Input 'allow-mutable-release': accept releases GitHub does not mark immutable. */
  allowMutableRelease: boolean;
  provenance: ProvenanceInputs;
}

/** Inputs 'allow-mutable-release', 'verify-provenance', 'signer-workflow', 'source-ref'. */
export function readTrustInputs(read: (name: string) => string): TrustInputs {
  return {
    allowMutableRelease: readBoolean(read, 'allow-mutable-release'),
    provenance: {
      verify: readBoolean(read, 'verify-provenance', true),
      signerWorkflows: parseSignerWorkflows(read('signer-workflow')),
      sourceRef: parseSourceRef(read('source-ref')),
    },
  };
}

/** YAML 1.2 core schema booleans, as @actions/core's getBooleanInput reads them; empty is `empty`. */
function readBoolean(read: (name: string) => string, name: string, empty = false): boolean {
  const text = read(name).trim();
  if (text === '') return empty;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  throw new ConfigurationError(`Input '${name}' must be true or false; got ${JSON.stringify(text.slice(0, 40))}.`);
}
