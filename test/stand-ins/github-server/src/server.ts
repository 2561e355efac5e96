/**
 * The local GitHub API server: a request goes through site routes (no
 * auth), then authentication and rate-limit headers (auth.ts), routing
 * against GitHub's description (routing.ts; GraphQL goes to graphql/),
 * armed faults (fault-answers.ts),
 * request validation (validation.ts), and the operation's handler from the
 * route table (routes.ts), whose answer may itself be validated.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppPermissions, Credentials, type Visibility } from './auth.ts';
import type { Handler } from './exchange.ts';
import { answerFaults } from './fault-answers.ts';
import { FaultController, type ActiveFaults, type Fault } from './faults.ts';
import { GitRepository } from './git.ts';
import { ApiError, DEFAULT_DOCS, notFound, sendJson } from './http.ts';
import { disableAttestations } from './handlers/attestations.ts';
import { serveGraphQL, unauthorizedBody } from './graphql/serve.ts';
import { IdSequence, RepositoryState } from './model.ts';
import { readSubset } from './openapi/source.ts';
import { OpenApiValidator } from './openapi/validator.ts';
import { authorize } from './permissions.ts';
import { readSnapshot, restoreSnapshot, SnapshotWriter, takeSnapshot } from './persistence.ts';
import { API_ROUTES, type SiteContext, UPLOAD_OPERATION } from './routes.ts';
import { matchApiRoute, matchSiteRoute, requestUrls } from './routing.ts';
import type { RegistryTokenOptions } from './routes/registry-token.ts';
import type { Urls } from './serialize.ts';
import { AssetStorage } from './storage.ts';
import { type ResponseChecks, responder, validateRequest } from './validation.ts';

export interface GitHubServerOptions {
  /** Served repositories: `owner/name` → path of a local git repository. */
  repos: Record<string, string>;
  /** Token(s) with write access. */
  token: string | string[];
  /** Tokens that may only read: writes answer 403 "Resource not accessible by integration". */
  readOnlyTokens?: string[];
  /**
   * Repositories that are not public (`owner/name` → visibility; default
   * public). An installation token (a job's GITHUB_TOKEN, see auth.ts) needs
   * its read permissions only for these, and does not see them at all when
   * issued for another repository.
   */
  visibility?: Record<string, Visibility>;
  /** The repositories' immutable-releases setting at start (default off). */
  immutableReleases?: boolean;
  /**
   * Where asset bytes and `state.json` (releases, assets, deployments) are
   * kept, so a restart finds them again; default: a temporary folder removed
   * by close(), with state in memory only.
   */
  dataDir?: string;
  /** Port to listen on, 127.0.0.1 only; default 0 (any free port). */
  port?: number;
  /**
   * Check every JSON response against the description's schema for its
   * status. A mismatch is recorded in `responseViolations`, printed, and the
   * response replaced by a 500 so the client fails loudly. Default off:
   * tests turn it on (test/helpers/github-server.ts does), the CLI with
   * `--validate-responses`.
   */
  validateResponses?: boolean;
  /** Serve a container registry's token realm at `/ghcr/token` (see routes/registry-token.ts). */
  registryTokens?: RegistryTokenOptions;
  /** Repositories without artifact attestations (user-owned private ones outside Enterprise Cloud). */
  withoutAttestations?: string[];
}

export interface RequestLogEntry {
  method: string;
  /** Path and query as received (uploads keep their `/uploads` prefix). */
  path: string;
  /** 0 when the connection was reset on purpose. */
  status: number;
  /** GitHub's operationId, `storage`, `control`, or undefined for unknown routes. */
  operationId?: string;
}

export interface GitHubServer {
  /** API base URL, `http://127.0.0.1:<port>`: pass it as `baseUrl` to getOctokit. */
  readonly url: string;
  /** Uploads base URL (what `upload_url` starts with), `<url>/uploads`. */
  readonly uploadsUrl: string;
  readonly dataDir: string;
  /** Every request served, in order. */
  readonly requests: RequestLogEntry[];
  /** Responses that did not match the description (validateResponses on). */
  readonly responseViolations: string[];
  readonly faults: FaultController;
  /** Test-only: flips a byte of an asset's stored bytes; its `digest` keeps the original hash. */
  corruptAsset(assetId: number): Promise<void>;
  setImmutableReleases(repo: string, enabled: boolean): void;
  /**
   * A new installation token for `repository` with these GitHub App
   * permissions (`metadata: read` is added), as GitHub issues a job's
   * GITHUB_TOKEN; the local runner asks for them over HTTP (routes/tokens.ts).
   */
  issueToken(repository: string, permissions: AppPermissions): string;
  /** Ends an installation token: later requests with it answer 401. */
  revokeToken(token: string): void;
  close(): Promise<void>;
}

async function openRepositories(options: GitHubServerOptions): Promise<Map<string, RepositoryState>> {
  const repos = new Map<string, RepositoryState>();
  for (const [fullName, gitPath] of Object.entries(options.repos)) {
    const [owner, name, extra] = fullName.split('/');
    if (!owner || !name || extra !== undefined) throw new Error(`repository names are owner/name; got '${fullName}'`);
    const git = new GitRepository(gitPath);
    await git.verify();
    const state = new RepositoryState(owner, name, git, options.immutableReleases ?? false);
    if (options.withoutAttestations?.includes(fullName)) disableAttestations(state);
    repos.set(fullName.toLowerCase(), state);
  }
  return repos;
}

function visibilityOf(options: GitHubServerOptions, fullName: string): Visibility {
  const key = Object.keys(options.visibility ?? {}).find((k) => k.toLowerCase() === fullName.toLowerCase());
  return key === undefined ? 'public' : options.visibility![key]!;
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  const validator = new OpenApiValidator(await readSubset());
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'github-server-')));
  const storage = new AssetStorage(dataDir);
  await storage.init();
  const credentials = new Credentials(options.token, options.readOnlyTokens);
  const repos = await openRepositories(options);
  let ids = new IdSequence(1);
  // A data folder given by the caller keeps the records across restarts.
  const snapshots = ownsDataDir ? undefined : new SnapshotWriter(dataDir);
  const saved = ownsDataDir ? undefined : await readSnapshot(dataDir);
  if (saved !== undefined) {
    for (const asset of restoreSnapshot(saved, repos)) storage.add({ ...asset, file: storage.fileFor(asset.id) });
    ids = new IdSequence(saved.nextId);
  }
  const save = (): Promise<void> =>
    snapshots?.write(() => takeSnapshot(repos.values(), storage.all(), ids.peek())) ?? Promise.resolve();
  const faults = new FaultController();
  const requests: RequestLogEntry[] = [];
  const checks: ResponseChecks = { validator, enabled: options.validateResponses ?? false, violations: [] };
  const listening: Urls = { api: '', uploads: '' };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('github-server: unexpected error', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Server Error', documentation_url: DEFAULT_DOCS }));
      } else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const urls = requestUrls(req, listening);
    const url = new URL(req.url ?? '/', urls.api);
    const method = (req.method ?? 'GET').toUpperCase();
    const requestPath = url.pathname + url.search;
    const entry: RequestLogEntry = { method, path: requestPath, status: 0 };
    res.on('finish', () => (entry.status = res.statusCode));
    const site = matchSiteRoute(method, url);
    // A job's token is issued outside the repository's API, as GitHub
    // issues it: the runner's requests for tokens are not in the log.
    if (site?.kind !== 'site' || site.route.name !== 'tokens') requests.push(entry);

    if (site?.kind === 'site') {
      entry.operationId = site.route.name;
      const context: SiteContext = {
        storage,
        faults,
        repos,
        urls,
        requests,
        responseViolations: checks.violations,
        server: api,
        credentials,
        registryTokens: options.registryTokens,
      };
      await site.route.handle(context, req, res, url, site.params);
      return;
    }

    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-github-request-id', requestId);
    res.setHeader('x-github-media-type', 'github.v3; format=json');
    res.setHeader('x-github-api-version-selected', '2022-11-28');
    const route = matchApiRoute(validator, method, url);
    const caller = credentials.authenticate(req, res, !url.pathname.startsWith('/uploads/'));
    if (caller instanceof ApiError) {
      req.resume();
      return sendJson(res, caller.status, route.kind === 'graphql' ? unauthorizedBody(caller) : caller.body);
    }
    if (route.kind === 'graphql') {
      entry.operationId = 'graphql';
      return serveGraphQL({
        req,
        res,
        caller,
        requestId,
        repos,
        visibility: (fullName) => visibilityOf(options, fullName),
        faults,
        checks,
        identify: (operationId) => (entry.operationId = operationId),
      });
    }
    if (route.kind !== 'api') {
      req.resume();
      return sendJson(res, 404, notFound().body);
    }
    const { op } = route;
    entry.operationId = op.operationId;
    const active = faults.onRequest(op.operationId, method);
    if (await answerFaults(active, { req, res, op, budget: caller.budget, requestId })) return;

    const respond = responder(checks, res, op, active, `${method} ${requestPath}`);
    try {
      const repo = repos.get(`${op.pathParams.owner}/${op.pathParams.repo}`.toLowerCase());
      if (repo === undefined) throw notFound(op.documentationUrl);
      const access = authorize(caller, method, op, {
        fullName: repo.fullName,
        visibility: visibilityOf(options, repo.fullName),
      });
      for (const [name, value] of Object.entries(access.headers)) res.setHeader(name, value);
      const { params, body } = await validateRequest(validator, op, url, req, op.operationId === UPLOAD_OPERATION);
      const handler = (API_ROUTES as Record<string, Handler>)[op.operationId];
      if (handler === undefined) throw notFound(op.documentationUrl);
      await handler({
        req,
        res,
        op,
        repo,
        params,
        body,
        urls,
        ids,
        storage,
        faults: active,
        canPush: access.canPush,
        json: respond,
        created: (body) => respond(201, body, { location: String(body.url) }),
        empty: (status, headers = {}) => respond(status, undefined, headers),
      });
      if (isWrite(method)) await save();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!req.readableEnded) req.resume();
      respond(error.status, error.body, error.headers);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  listening.api = `http://127.0.0.1:${port}`;
  listening.uploads = `${listening.api}/uploads`;

  const api: GitHubServer = {
    url: listening.api,
    uploadsUrl: listening.uploads,
    dataDir,
    requests,
    responseViolations: checks.violations,
    faults,
    async corruptAsset(assetId: number) {
      if (storage.asset(assetId) === undefined) throw new Error(`no asset ${assetId}`);
      await storage.corrupt(assetId);
    },
    issueToken(repository: string, permissions: AppPermissions) {
      if (!repos.has(repository.toLowerCase())) throw new Error(`unknown repository ${repository}`);
      return credentials.issue(repository, permissions).token;
    },
    revokeToken(token: string) {
      credentials.revoke(token);
    },
    setImmutableReleases(repo: string, enabled: boolean) {
      const state = repos.get(repo.toLowerCase());
      if (state === undefined) throw new Error(`unknown repository ${repo}`);
      state.immutableReleases = enabled;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await save();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return api;
}

export type { Fault, ActiveFaults };
