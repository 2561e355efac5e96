/**
 * Every route this server answers, in one table.
 *
 * API_ROUTES: GitHub's REST operations by the operationId of GitHub's
 * OpenAPI description, each with its handler (handlers/*.ts). Requests to
 * them are authenticated, rate-limited, open to faults and validated against
 * the description. The committed subset of the description holds exactly
 * these operations: after adding one, run
 * `pnpm --filter @build-release-run/github-server generate-openapi`.
 *
 * GRAPHQL_ROUTE: GitHub's GraphQL API (graphql/serve.ts), authenticated
 * like the REST API and held to GitHub's GraphQL schema instead of the
 * OpenAPI description.
 *
 * SITE_ROUTES: what GitHub serves outside its REST API (asset storage,
 * browser downloads) and this server's own control endpoints (faults; the
 * runner's job tokens, which need one of the server's write tokens): no
 * API authentication, no description, first match wins.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Credentials } from './auth.ts';
import type { Handler } from './exchange.ts';
import type { FaultController } from './faults.ts';
import { assetHandlers } from './handlers/assets.ts';
import { attestationHandlers } from './handlers/attestations.ts';
import { deploymentHandlers } from './handlers/deployments.ts';
import { labelHandlers } from './handlers/labels.ts';
import { refHandlers } from './handlers/refs.ts';
import { releaseNotesHandlers } from './handlers/release-notes.ts';
import { releaseHandlers } from './handlers/releases.ts';
import { tagHandlers } from './handlers/tags.ts';
import type { RepositoryState } from './model.ts';
import { type ControlDeps, handleControl } from './routes/control.ts';
import { REGISTRY_TOKEN_PATH, type RegistryTokenOptions, serveRegistryToken } from './routes/registry-token.ts';
import { browserDownloadRedirect, serveStorage } from './routes/storage.ts';
import { TOKENS_PATH, serveTokens } from './routes/tokens.ts';
import type { Urls } from './serialize.ts';
import type { AssetStorage } from './storage.ts';

export const API_ROUTES = {
  ...refHandlers,
  ...tagHandlers,
  ...releaseHandlers,
  ...releaseNotesHandlers,
  ...assetHandlers,
  ...deploymentHandlers,
  ...labelHandlers,
  ...attestationHandlers,
} satisfies Record<string, Handler>;

export type OperationId = keyof typeof API_ROUTES;

/** The only operation served on the uploads base (`<url>/uploads`), as uploads.github.com. */
export const UPLOAD_OPERATION: OperationId = 'repos/upload-release-asset';

/** `POST /graphql`, as on api.github.com (and on `gh`'s plain-HTTP host, `api.github.localhost`). */
export const GRAPHQL_ROUTE = { method: 'POST', path: '/graphql' } as const;

/** What a route outside the API may use. */
export interface SiteContext extends ControlDeps {
  storage: AssetStorage;
  faults: FaultController;
  repos: Map<string, RepositoryState>;
  /** The URLs of this request's host. */
  urls: Urls;
  credentials: Credentials;
  /** Set when the server serves a registry's token realm. */
  registryTokens: RegistryTokenOptions | undefined;
}

export interface SiteRoute {
  /** Recorded as the request's operationId in the request log. */
  name: string;
  /** The route's path parameters when it answers this request, else undefined. */
  match(method: string, url: URL): string[] | undefined;
  handle(site: SiteContext, req: IncomingMessage, res: ServerResponse, url: URL, params: string[]): Promise<void>;
}

const BROWSER_DOWNLOAD = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/;

export const SITE_ROUTES: readonly SiteRoute[] = [
  {
    name: 'tokens',
    match: (_method, url) => (url.pathname === TOKENS_PATH ? [] : undefined),
    handle: (site, req, res) => serveTokens(site, req, res),
  },
  {
    name: 'control',
    match: (_method, url) => (url.pathname.startsWith('/_control/') ? [] : undefined),
    handle: (site, req, res, url) => handleControl(site, req, res, url, (req.method ?? 'GET').toUpperCase()),
  },
  {
    name: 'storage',
    match: (_method, url) => (url.pathname.startsWith('/_storage/') ? [] : undefined),
    handle: (site, req, res, url) => serveStorage(site, res, url, (req.method ?? 'GET').toUpperCase()),
  },
  {
    name: 'browser-download',
    match: (method, url) =>
      method === 'GET' || method === 'HEAD' ? BROWSER_DOWNLOAD.exec(url.pathname)?.slice(1) : undefined,
    handle: async (site, _req, res, _url, params) =>
      browserDownloadRedirect(site, res, params.map(decodeURIComponent) as [string, string, string, string]),
  },
  {
    name: 'registry-token',
    match: (_method, url) => (url.pathname === REGISTRY_TOKEN_PATH ? [] : undefined),
    handle: async (site, req, res, url) => serveRegistryToken(site, req, res, url),
  },
];
