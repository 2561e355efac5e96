// The local Fulcio: @sigstore/mock's certificate handler behind the checks
// and the subject the real Fulcio applies to GitHub Actions tokens. Every
// way it differs from the mock is listed in this package's README.
import type { fulcioHandler } from '@sigstore/mock';
import { type Claims, type TrustedIssuer, verifyOidcToken } from './oidc-issuer.ts';

type Handler = ReturnType<typeof fulcioHandler>;

/** Claims the real Fulcio requires of a GitHub Actions token (its github-workflow issuer type). */
const REQUIRED_CLAIMS = [
  'sub',
  'repository',
  'repository_id',
  'repository_owner_id',
  'job_workflow_ref',
  'ref',
  'sha',
  'workflow_ref',
  'run_id',
  'run_attempt',
  'runner_environment',
  'event_name',
];

/** The base URL Fulcio's configuration gives GitHub Actions' issuer. */
export const GITHUB_WORKFLOW_BASE_URL = 'https://github.com';

/** The certificate subject the real Fulcio writes for a GitHub Actions token: the URL of the job's workflow at its ref. */
export function workflowSubject(claims: Claims): string {
  return `${GITHUB_WORKFLOW_BASE_URL}/${String(claims['job_workflow_ref'])}`;
}

const SUBJECT_CLAIM = 'x_fulcio_subject';

function unsignedToken(claims: Claims): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.`;
}

export function githubFulcioHandler(mock: Handler, trusted: readonly TrustedIssuer[]): Handler {
  return {
    path: mock.path,
    async fn(body) {
      let request: { credentials?: { oidcIdentityToken?: unknown } };
      let claims: Claims;
      try {
        request = JSON.parse(body) as typeof request;
        const token = request.credentials?.oidcIdentityToken;
        if (typeof token !== 'string') throw new Error('credentials.oidcIdentityToken is missing');
        claims = verifyOidcToken(token, trusted, 'sigstore');
        const missing = REQUIRED_CLAIMS.filter((c) => claims[c] === undefined);
        if (missing.length > 0) throw new Error(`the identity token lacks the claims ${missing.join(', ')}`);
      } catch (error) {
        return {
          statusCode: 401,
          response: `There was an error processing the identity token: ${(error as Error).message}`,
        };
      }
      // The mock writes claims[subjectClaim] into the SAN as is: hand it the
      // subject the real Fulcio computes, in a token it only decodes.
      const forwarded = {
        ...request,
        credentials: { oidcIdentityToken: unsignedToken({ ...claims, [SUBJECT_CLAIM]: workflowSubject(claims) }) },
      };
      return mock.fn(JSON.stringify(forwarded));
    },
  };
}

export { SUBJECT_CLAIM };
