/**
 * Which route a request names: a site route (routes.ts), or one of GitHub's
 * operations matched against the description, on the host GitHub serves it
 * from (uploads only under `/uploads`, everything else only outside it).
 */
import type { IncomingMessage } from 'node:http';
import type { MatchedOperation, OpenApiValidator } from './openapi/validator.ts';
import { GRAPHQL_ROUTE, SITE_ROUTES, type SiteRoute, UPLOAD_OPERATION } from './routes.ts';
import type { Urls } from './serialize.ts';

export type Route =
  | { kind: 'site'; route: SiteRoute; params: string[] }
  | { kind: 'api'; op: MatchedOperation }
  | { kind: 'graphql' }
  | { kind: 'none' };

/** The site route that answers, if any; these come before authentication. */
export function matchSiteRoute(method: string, url: URL): Route | undefined {
  for (const route of SITE_ROUTES) {
    const params = route.match(method, url);
    if (params !== undefined) return { kind: 'site', route, params };
  }
  return undefined;
}

/**
 * The operation a request names: GraphQL, or one of the description's. HEAD
 * is answered as GET is (HTTP's rule, and GitHub's: same status and
 * headers, no body).
 */
export function matchApiRoute(validator: OpenApiValidator, method: string, url: URL): Route {
  if (url.pathname === GRAPHQL_ROUTE.path)
    return method === GRAPHQL_ROUTE.method ? { kind: 'graphql' } : { kind: 'none' };
  const onUploads = url.pathname.startsWith('/uploads/');
  const apiPath = onUploads ? url.pathname.slice('/uploads'.length) : url.pathname;
  const op = matchOperation(validator, method === 'HEAD' ? 'GET' : method, apiPath);
  if (op === undefined || (op.operationId === UPLOAD_OPERATION) !== onUploads) return { kind: 'none' };
  return { kind: 'api', op };
}

function matchOperation(validator: OpenApiValidator, method: string, apiPath: string): MatchedOperation | undefined {
  // GET /repos/{owner}/{repo}/git/refs[/prefix]: an older, undescribed route
  // GitHub still serves (the git-refs fixture records it); same as matching-refs.
  const legacy = /^\/repos\/([^/]+)\/([^/]+)\/git\/refs(?:\/(.*))?$/.exec(apiPath);
  if (legacy && method === 'GET') {
    const op = validator.match('GET', `/repos/${legacy[1]}/${legacy[2]}/git/matching-refs/x`);
    if (op !== undefined) {
      const prefix = decodeURIComponent(legacy[3] ?? '');
      return { ...op, pathParams: { ...op.pathParams, ref: prefix.replace(/^refs\//, '') } };
    }
  }
  return validator.match(method, apiPath);
}

/** A Host header that names a host (and port) and nothing else. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The URLs answers point at, on the host the client asked for (as GitHub
 * builds `url`, `upload_url` and `browser_download_url` for the host it was
 * reached on): a client that reached the server through a proxy or under
 * another name follows links back the same way. A missing or malformed Host
 * falls back to the address the server listens on.
 */
export function requestUrls(req: IncomingMessage, listening: Urls): Urls {
  const host = req.headers.host;
  if (host === undefined || !HOST.test(host)) return listening;
  const api = `http://${host}`;
  return { api, uploads: `${api}/uploads` };
}
