// Signs an in-toto statement into a Sigstore bundle with @sigstore/sign:
// a short-lived Fulcio certificate for the workflow's OIDC identity, a DSSE
// envelope, and the transparency-log entry or timestamp that proves when.
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';
import type { SigningEndpoints } from './endpoints.ts';
import { IN_TOTO_PAYLOAD_TYPE, type Statement } from './statements.ts';

export interface SignOptions {
  endpoints: SigningEndpoints;
  /** A token for the `sigstore` audience. */
  identityToken: () => Promise<string>;
  timeoutMs?: number;
  retries?: number;
}

/** The serialized Sigstore bundle (v0.3 JSON), as the attestations API stores it. */
export type SerializedBundle = ReturnType<typeof bundleToJSON>;

export async function signStatement(statement: Statement, options: SignOptions): Promise<SerializedBundle> {
  const timeout = options.timeoutMs ?? 10_000;
  const retry = options.retries ?? 3;
  const { endpoints } = options;
  const witnesses: Witness[] = [];
  // The local Rekor (@sigstore/mock) records v1 'intoto' entries; a 'dsse'
  // entry it makes fails verification. Both prove the same signature.
  if (endpoints.rekorUrl) {
    witnesses.push(
      new RekorWitness({
        rekorBaseURL: endpoints.rekorUrl,
        entryType: 'intoto',
        fetchOnConflict: true,
        timeout,
        retry,
      }),
    );
  }
  if (endpoints.tsaUrl) witnesses.push(new TSAWitness({ tsaBaseURL: endpoints.tsaUrl, timeout, retry }));
  const signer = new FulcioSigner({
    identityProvider: { getToken: options.identityToken },
    fulcioBaseURL: endpoints.fulcioUrl,
    timeout,
    retry,
  });
  const bundle = await new DSSEBundleBuilder({ signer, witnesses }).create({
    data: Buffer.from(JSON.stringify(statement)),
    type: IN_TOTO_PAYLOAD_TYPE,
  });
  return bundleToJSON(bundle);
}
