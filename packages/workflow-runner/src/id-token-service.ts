// The runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): a GET
// with `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` and an
// optional `audience` query answers `{"value": "<jwt>"}`, as the Actions
// service does for @actions/core's getIDToken. One request token per job
// that grants `id-token: write`, bound to that job's claims.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Claims, OidcIssuer } from '@build-release-run/sigstore-server';

export interface IdTokenService {
  /** The two variables a job that grants `id-token: write` gets. */
  grant(claims: Claims): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  close(): Promise<void>;
}

export async function startIdTokenService(issuer: OidcIssuer, defaultAudience: string): Promise<IdTokenService> {
  const grants = new Map<string, Claims>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = bearer === undefined ? undefined : grants.get(bearer);
    if (req.method !== 'GET' || url.pathname !== '/idtoken') {
      res.writeHead(404).end();
    } else if (!claims) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
    } else {
      const audience = url.searchParams.get('audience') || defaultAudience;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ value: issuer.issue(claims, audience) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A run that throws must not leave the process waiting on this server.
  server.unref();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    grant(claims) {
      const token = randomBytes(24).toString('hex');
      grants.set(token, claims);
      // Like GitHub's URL, it already has a query: clients append `&audience=`.
      return { ACTIONS_ID_TOKEN_REQUEST_URL: `${base}/idtoken?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
