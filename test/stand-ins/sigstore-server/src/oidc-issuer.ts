// A local OpenID Connect token issuer standing in for GitHub Actions'
// (https://token.actions.githubusercontent.com): ES256 JSON Web Tokens whose
// claims the caller chooses (the workflow runner passes GitHub's claim set).
// The local Fulcio trusts exactly the issuers it is given, by their key.
import { type KeyObject, createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';

/** The `iss` of GitHub Actions' tokens; Fulcio maps it to the github.com workflow identity. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

export type Claims = Record<string, string | number | boolean>;

export interface OidcIssuer {
  readonly issuer: string;
  readonly publicKey: KeyObject;
  /** A token for `audience`, valid for `lifetimeSeconds` (default 5 minutes, like GitHub's). */
  issue(claims: Claims, audience: string, lifetimeSeconds?: number): string;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function createOidcIssuer(issuer = GITHUB_ACTIONS_ISSUER): OidcIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  return {
    issuer,
    publicKey,
    issue(claims, audience, lifetimeSeconds = 300) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
      const payload = base64url(
        JSON.stringify({
          jti: randomUUID(),
          ...claims,
          aud: audience,
          iss: issuer,
          iat: now,
          nbf: now - 5,
          exp: now + lifetimeSeconds,
        }),
      );
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${header}.${payload}.${base64url(signature)}`;
    },
  };
}

export interface TrustedIssuer {
  issuer: string;
  publicKey: KeyObject;
}

/**
 * Verifies a token as Fulcio does before it issues a certificate: an ES256
 * signature by a trusted issuer's key, the `sigstore` audience, and a time
 * window that includes now. Returns the claims, or throws why not.
 */
export function verifyOidcToken(
  token: string,
  trusted: readonly TrustedIssuer[],
  audience: string,
  now = Date.now(),
): Claims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('the identity token is not a JWT');
  const [header, payload, signature] = parts as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
  if (alg !== 'ES256') throw new Error(`the identity token is signed with ${String(alg)}, not ES256`);
  const issuer = trusted.find((t) => t.issuer === claims['iss']);
  if (!issuer) throw new Error(`the identity token's issuer ${String(claims['iss'])} is not trusted`);
  const key = createPublicKey(issuer.publicKey.export({ format: 'pem', type: 'spki' }));
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new Error('the identity token signature does not verify with its issuer key');
  if (claims['aud'] !== audience)
    throw new Error(`the identity token's audience is ${String(claims['aud'])}, not ${audience}`);
  const seconds = Math.floor(now / 1000);
  if (typeof claims['exp'] !== 'number' || claims['exp'] < seconds) throw new Error('the identity token has expired');
  if (typeof claims['nbf'] === 'number' && claims['nbf'] > seconds + 60)
    throw new Error('the identity token is not valid yet');
  return claims;
}
