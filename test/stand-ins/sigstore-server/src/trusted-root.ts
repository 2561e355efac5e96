// The trusted root of the local Sigstore, in the format Sigstore's TUF
// repository publishes (`trusted_root.json`), so the verifier reads it the way
// it reads the public-good one.
import { createHash } from 'node:crypto';
import { HashAlgorithm, PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';

export interface TrustedRootKeys {
  fulcioUrl: string;
  rekorUrl: string;
  tsaUrl: string;
  /** DER of the Fulcio root certificate. */
  caRoot: Buffer;
  /** DER SPKI of the certificate transparency log's key, and its log ID. */
  ctlogKey: Buffer;
  ctlogId: Buffer;
  /** DER SPKI of the Rekor log's key. */
  rekorKey: Buffer;
  /** The timestamp authority's chain: leaf (intermediate) first, then root. */
  tsaChain: Buffer[];
  /** Start of every key's validity. */
  since: Date;
}

/** The trusted root as the JSON Sigstore clients read. */
export function trustedRootJson(keys: TrustedRootKeys): unknown {
  const validFor = { start: keys.since };
  const root: TrustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: keys.fulcioUrl,
        certChain: { certificates: [{ rawBytes: keys.caRoot }] },
        validFor,
        operator: 'build-release-run local sigstore',
      },
    ],
    tlogs: [
      {
        baseUrl: keys.rekorUrl,
        hashAlgorithm: HashAlgorithm.SHA2_256,
        publicKey: { rawBytes: keys.rekorKey, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor },
        logId: { keyId: createHash('sha256').update(keys.rekorKey).digest() },
        checkpointKeyId: undefined,
        operator: 'build-release-run local sigstore',
      },
    ],
    ctlogs: [
      {
        baseUrl: keys.fulcioUrl,
        hashAlgorithm: HashAlgorithm.SHA2_256,
        publicKey: { rawBytes: keys.ctlogKey, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor },
        logId: { keyId: keys.ctlogId },
        checkpointKeyId: undefined,
        operator: 'build-release-run local sigstore',
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: keys.tsaUrl,
        certChain: { certificates: keys.tsaChain.map((rawBytes) => ({ rawBytes })) },
        validFor,
        operator: 'build-release-run local sigstore',
      },
    ],
  };
  return TrustedRoot.toJSON(root);
}
