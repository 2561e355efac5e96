/**
 * The trust policy's inputs, read by one function from the same names on
 * every action that reads a release (deploy; release with `from-release`)
 * and from flags of the same names on `brr`.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { type SignerRule, parseSigners, parseSourceRef } from '@build-release-run/provenance';

/** Where verification reports what it checked (the action's log). */
export interface VerifyLog {
  info(message: string): void;
}

/** Inputs 'verify-provenance', 'build-signer', 'release-signer', 'source-ref': whose signatures are accepted. */
export interface ProvenanceInputs {
  verify: boolean;
  /** The workflows whose signature on the build's provenance is accepted; undefined: any workflow file of this repository on the source ref. */
  buildSigners: SignerRule[] | undefined;
  /** The workflows whose signature on release.json is accepted; undefined: as for the build. */
  releaseSigners: SignerRule[] | undefined;
  /** A full ref; undefined: the repository's default branch. */
  sourceRef: string | undefined;
  /**
   * Input 'trusted-builder': the reusable build workflows whose signature a
   * release claiming a builder (release.json build.builder) must carry;
   * undefined: this action's own repository's build.yml at its version.
   */
  trustedBuilders: SignerRule[] | undefined;
}

export interface TrustInputs {
  /** Input 'allow-mutable-release': accept releases GitHub does not mark immutable. */
  allowMutableRelease: boolean;
  provenance: ProvenanceInputs;
}

/** The names of the trust policy's inputs (and of brr's flags). */
export const TRUST_INPUTS = [
  'allow-mutable-release',
  'verify-provenance',
  'build-signer',
  'release-signer',
  'source-ref',
  'trusted-builder',
] as const;

/** Inputs 'allow-mutable-release', 'verify-provenance', 'build-signer', 'release-signer', 'source-ref', 'trusted-builder'. */
export function readTrustInputs(read: (name: (typeof TRUST_INPUTS)[number]) => string): TrustInputs {
  return {
    allowMutableRelease: readBoolean(read, 'allow-mutable-release'),
    provenance: {
      verify: readBoolean(read, 'verify-provenance', true),
      buildSigners: parseSigners(read('build-signer'), 'build-signer'),
      releaseSigners: parseSigners(read('release-signer'), 'release-signer'),
      sourceRef: parseSourceRef(read('source-ref')),
      trustedBuilders: parseSigners(read('trusted-builder'), 'trusted-builder'),
    },
  };
}

/** YAML 1.2 core schema booleans, as @actions/core's getBooleanInput reads them; empty is `empty`. */
function readBoolean<Name extends string>(read: (name: Name) => string, name: Name, empty = false): boolean {
  const text = read(name).trim();
  if (text === '') return empty;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  throw new ConfigurationError(`Input '${name}' must be true or false; got ${JSON.stringify(text.slice(0, 40))}.`);
}
