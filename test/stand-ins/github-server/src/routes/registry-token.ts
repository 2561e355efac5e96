/**
 * The token service of a container registry, as `https://ghcr.io/token` is
 * for GHCR: a registry with token auth answers 401 with
 * `WWW-Authenticate: Bearer realm=<this route>,service=…,scope=…`; the client
 * comes here with basic credentials (any username, a token this server
 * knows as the password) and gets a JWT the registry checks against the
 * certificate it was configured with (CNCF distribution's `auth.token`:
 * realm, service, issuer, rootcertbundle). The JWT carries the certificate
 * in its `x5c` header and the granted actions in its `access` claim.
 */
import { randomUUID, sign, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Credentials } from '../auth.ts';
import { sendJson } from '../http.ts';

export const REGISTRY_TOKEN_PATH = '/ghcr/token';

export interface RegistryTokenOptions {
  /** The registry's `auth.token.service`, the token's audience. */
  service: string;
  /** The registry's `auth.token.issuer`. */
  issuer: string;
  /** PEM of the EC P-256 key that signs tokens. */
  privateKeyPem: string;
  /** PEM of its certificate: the registry's `rootcertbundle`. */
  certificatePem: string;
}

export interface RegistryTokenDeps {
  registryTokens: RegistryTokenOptions | undefined;
  credentials: Pick<Credentials, 'packageAccessOf'>;
}

/** Seconds a token lives, as GHCR's do (a few minutes). */
const TOKEN_LIFETIME = 300;

export function serveRegistryToken(
  { registryTokens: options, credentials: known }: RegistryTokenDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  req.resume();
  if (options === undefined || req.method !== 'GET') {
    return sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no registry token service here' }] });
  }
  const credentials = basicCredentials(req.headers.authorization);
  let allowed: readonly string[] = [];
  if (credentials !== undefined) {
    const access = known.packageAccessOf(credentials.password);
    if (access === 'write') allowed = ['pull', 'push', 'delete'];
    else if (access === 'read') allowed = ['pull'];
    else {
      return sendJson(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
        { 'www-authenticate': 'Basic realm="registry token"' },
      );
    }
  }
  // Anonymous callers get a token that grants nothing, as Docker's token
  // services answer for a private repository; the registry then refuses.
  const access = url.searchParams.getAll('scope').flatMap((scope) => grant(scope, allowed));
  const now = Math.floor(Date.now() / 1000);
  const token = signJwt(options, {
    iss: options.issuer,
    sub: credentials?.username ?? '',
    aud: options.service,
    exp: now + TOKEN_LIFETIME,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  });
  sendJson(res, 200, {
    token,
    access_token: token,
    expires_in: TOKEN_LIFETIME,
    issued_at: new Date(now * 1000).toISOString(),
  });
}

/** `repository:<name>:<actions>` → the requested actions this caller may have. */
function grant(scope: string, allowed: readonly string[]): { type: string; name: string; actions: string[] }[] {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return [];
  const type = scope.slice(0, first);
  if (type !== 'repository') return [];
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((action) => allowed.includes(action) || (action === '*' && allowed.includes('delete')));
  return [{ type, name: scope.slice(first + 1, last), actions }];
}

function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function signJwt(options: RegistryTokenOptions, claims: Record<string, unknown>): string {
  const certificate = new X509Certificate(options.certificatePem).raw.toString('base64');
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certificate] };
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  // JWS ES256 signatures are r || s (IEEE P1363), not DER.
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: options.privateKeyPem,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}
