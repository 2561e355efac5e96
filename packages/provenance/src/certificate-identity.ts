// The identity in a Fulcio certificate for a GitHub Actions workflow: its
// SAN and the OID extensions Fulcio writes from the token's claims
// (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md).
import { ASN1Obj } from '@sigstore/core';
import type { Signer } from '@sigstore/verify';

/** Fulcio's extension OIDs, by the name of the claim each records. */
export const FULCIO_OIDS = {
  issuer: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
} as const;

export type ExtensionName = keyof typeof FULCIO_OIDS;

export interface CertificateIdentity {
  /** The certificate's subject alternative name: the signing workflow's URL at its ref. */
  subjectAlternativeName: string;
  extensions: Partial<Record<ExtensionName, string>>;
}

/** An extension value: Fulcio's newer OIDs hold a DER UTF8String, the legacy ones raw text. */
function extensionText(value: Buffer): string {
  try {
    const parsed = ASN1Obj.parseBuffer(value as Buffer<ArrayBuffer>);
    if (parsed.tag.number === 0x0c && parsed.tag.isUniversal()) return parsed.value.toString('utf8');
  } catch {
    // not DER: a legacy raw value
  }
  return value.toString('utf8');
}

export function certificateIdentity(signer: Signer): CertificateIdentity {
  const byOid = new Map<string, Buffer>();
  for (const { oid, value } of signer.identity?.oids ?? []) {
    if (oid) byOid.set(oid.id.join('.'), Buffer.from(value));
  }
  const extensions: CertificateIdentity['extensions'] = {};
  for (const [name, oid] of Object.entries(FULCIO_OIDS) as [ExtensionName, string][]) {
    const value = byOid.get(oid);
    if (value !== undefined) extensions[name] = extensionText(value);
  }
  return { subjectAlternativeName: signer.identity?.subjectAlternativeName ?? '', extensions };
}
