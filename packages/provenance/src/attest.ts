// One attestation, end to end: the job's OIDC token (audience `sigstore`),
// the statement made from its claims, the Sigstore bundle, stored in the
// repository. Shared by the build and release actions.
import type { ApiClient } from '@build-release-run/github-api';
import { storeAttestation } from './attestation-api.ts';
import { type SigningEndpoints } from './endpoints.ts';
import { type IdTokenSource, type WorkflowClaims, workflowClaims } from './id-token.ts';
import type { SerializedBundle } from './sign.ts';
import { signStatement } from './sign-on-demand.ts';
import type { Statement } from './statements.ts';

export interface AttestOptions {
  /** The job's OIDC token (action-kit's jobIdToken). */
  idToken: IdTokenSource;
  endpoints: SigningEndpoints;
  client: ApiClient;
  statement(claims: WorkflowClaims): Statement;
}

export interface Attestation {
  id: number | undefined;
  bundle: SerializedBundle;
  statement: Statement;
  /** The certificate identity it was signed with: the workflow URL at its ref. */
  signer: string;
}

export async function attest(options: AttestOptions): Promise<Attestation> {
  const token = await options.idToken('sigstore');
  const claims = workflowClaims(token);
  const statement = options.statement(claims);
  const bundle = await signStatement(statement, {
    endpoints: options.endpoints,
    identityToken: () => Promise.resolve(token),
  });
  const id = await storeAttestation(options.client, bundle);
  return { id, bundle, statement, signer: claims.job_workflow_ref };
}
