import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Exchange, Handler } from './exchange.ts';
import { FaultController, type ActiveFaults, type Fault } from './faults.ts';
import { GitRepository } from './git.ts';
import { assetHandlers } from './handlers/assets.ts';
import { attestationHandlers, disableAttestations } from './handlers/attestations.ts';
import { deploymentHandlers } from './handlers/deployments.ts';
import { labelHandlers } from './handlers/labels.ts';
import { refHandlers } from './handlers/refs.ts';
import { releaseHandlers } from './handlers/releases.ts';
import { ApiError, DEFAULT_DOCS, notFound, readJsonBody, sendJson } from './http.ts';
import { IdSequence, RepositoryState } from './model.ts';
import { readSubset } from './openapi/source.ts';
import { readSnapshot, restoreSnapshot, SnapshotWriter, takeSnapshot } from './persistence.ts';
import { OpenApiValidator, type MatchedOperation } from './openapi/validator.ts';
import type { Urls } from './serialize.ts';
import { handleControl } from './routes/control.ts';
import { browserDownloadRedirect, serveStorage } from './routes/storage.ts';
import { AssetStorage } from './storage.ts';

export interface GitHubServerOptions {
  /** Served repositories: `owner/name` → path of a local git repository. */
  repos: Record<string, string>;
  /** Token(s) with write access. */
  token: string | string[];
  /** Tokens that may only read: writes answer 403 "Resource not accessible by integration". */
  readOnlyTokens?: string[];
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
   * response replaced by a 500 so the client fails loudly. Default: on under jest.
   */
  validateResponses?: boolean;
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
  close(): Promise<void>;
}

const HANDLERS: Record<string, Handler> = {
  ...refHandlers,
  ...releaseHandlers,
  ...assetHandlers,
  ...deploymentHandlers,
  ...labelHandlers,
  ...attestationHandlers,
};

/** The operationIds this server answers. */
export const HANDLED_OPERATIONS: readonly string[] = Object.keys(HANDLERS);

const UPLOAD_OPERATION = 'repos/upload-release-asset';

export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  const validator = new OpenApiValidator(await readSubset());
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'github-server-')));
  const storage = new AssetStorage(dataDir);
  await storage.init();
  const writeTokens = new Set(Array.isArray(options.token) ? options.token : [options.token]);
  const readOnlyTokens = new Set(options.readOnlyTokens ?? []);
  const validateResponses = options.validateResponses ?? process.env.JEST_WORKER_ID !== undefined;
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
  const responseViolations: string[] = [];
  const rateLimitReset = Math.floor(Date.now() / 1000) + 3600;
  const rateLimit = { core: { limit: 5000, used: 0 }, unauthenticated: { limit: 60, used: 0 } };
  const urls: Urls = { api: '', uploads: '' };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('github-server: unexpected error', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Server Error', documentation_url: DEFAULT_DOCS }));
      } else res.destroy();
    });
  });

  function log(entry: RequestLogEntry): void {
    requests.push(entry);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', urls.api);
    const method = (req.method ?? 'GET').toUpperCase();
    const requestPath = url.pathname + url.search;
    const entry: RequestLogEntry = { method, path: requestPath, status: 0 };
    res.on('finish', () => (entry.status = res.statusCode));
    log(entry);

    if (url.pathname.startsWith('/_control/')) {
      entry.operationId = 'control';
      await handleControl({ faults, requests, responseViolations, server: api }, req, res, url, method);
      return;
    }
    if (url.pathname.startsWith('/_storage/')) {
      entry.operationId = 'storage';
      await serveStorage({ storage, faults, repos, urls }, res, url, method);
      return;
    }
    const browserDownload = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (browserDownload && method === 'GET') {
      entry.operationId = 'browser-download';
      browserDownloadRedirect(
        { storage, faults, repos, urls },
        res,
        browserDownload.slice(1).map(decodeURIComponent) as [string, string, string, string],
      );
      return;
    }

    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-github-request-id', requestId);
    res.setHeader('x-github-media-type', 'github.v3; format=json');

    res.setHeader('x-github-api-version-selected', '2022-11-28');

    // Authentication comes first on GitHub: a bad token is 401 whatever the route.
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const authenticated = token !== undefined && (writeTokens.has(token) || readOnlyTokens.has(token));
    // Unauthenticated callers get their own, smaller budget, as on GitHub.
    const budget = authenticated ? rateLimit.core : rateLimit.unauthenticated;
    budget.used++;
    res.setHeader('x-ratelimit-limit', String(budget.limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(budget.limit - budget.used, 0)));
    res.setHeader('x-ratelimit-used', String(budget.used));
    res.setHeader('x-ratelimit-reset', String(rateLimitReset));
    res.setHeader('x-ratelimit-resource', 'core');
    if (!authenticated) {
      req.resume();
      const message = token === undefined ? 'Requires authentication' : 'Bad credentials';
      return sendJson(res, 401, { message, documentation_url: DEFAULT_DOCS, status: '401' });
    }

    const onUploads = url.pathname.startsWith('/uploads/');
    const apiPath = onUploads ? url.pathname.slice('/uploads'.length) : url.pathname;
    const op = matchOperation(method, apiPath);
    // Uploads live only on the uploads host, everything else only on the API host.
    if (op === undefined || (op.operationId === UPLOAD_OPERATION) !== onUploads) {
      req.resume();
      return sendJson(res, 404, notFound().body);
    }
    entry.operationId = op.operationId;

    const active = faults.onRequest(op.operationId, method);
    const slow = active.get('slow');
    if (slow !== undefined) await sleep(slow.delayMs);
    const statusFault = active.get('status');
    if (statusFault !== undefined) {
      req.resume();
      const status = statusFault.status ?? 500;
      return sendJson(res, status, {
        message: status === 502 ? 'Server Error' : 'Internal Server Error',
        documentation_url: DEFAULT_DOCS,
      });
    }
    if (active.get('reset') !== undefined && op.operationId !== UPLOAD_OPERATION) {
      // Uploads reset mid-body (in their handler); anything else before answering.
      req.socket.destroy();
      return;
    }
    if (active.get('primary-rate-limit') !== undefined) {
      req.resume();
      res.setHeader('x-ratelimit-remaining', '0');
      res.setHeader('x-ratelimit-used', String(budget.limit));
      return sendJson(res, 403, {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
        status: '403',
      });
    }
    const limited = active.get('secondary-rate-limit');
    if (limited !== undefined) {
      req.resume();
      return sendJson(
        res,
        limited.status ?? 403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ' +
            requestId +
            '.',
          documentation_url:
            'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(limited.status ?? 403),
        },
        { 'retry-after': String(limited.retryAfter ?? 60) },
      );
    }

    const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      let payload = body;
      const broken = active.get('break-response');
      if (broken !== undefined) payload = withoutField(payload, broken.removeField);
      if (validateResponses) {
        const violation = validator.validateResponse(op, status, payload);
        if (violation !== undefined) {
          const message = `OpenAPI response validation failed for ${method} ${requestPath} → ${status}: ${violation}`;
          responseViolations.push(message);
          console.error(`github-server: ${message}`);
          return sendJson(res, 500, { message, documentation_url: DEFAULT_DOCS });
        }
      }
      sendJson(res, status, payload, headers);
    };

    try {
      const repo = repos.get(`${op.pathParams.owner}/${op.pathParams.repo}`.toLowerCase());
      if (repo === undefined) throw notFound(op.documentationUrl);
      if (readOnlyTokens.has(token) && !writeTokens.has(token) && method !== 'GET' && method !== 'HEAD') {
        throw new ApiError(403, {
          message: 'Resource not accessible by integration',
          documentation_url: op.documentationUrl,
          status: '403',
        });
      }
      const params = validator.validateParams(op, url.searchParams);
      if (!params.ok) {
        if (params.in === 'path') throw notFound(op.documentationUrl);
        throw new ApiError(422, {
          message: `Invalid request.\n\n${params.message}`,
          documentation_url: op.documentationUrl,
          status: '422',
        });
      }
      let body: unknown;
      if (op.operationId !== UPLOAD_OPERATION) {
        body = await readJsonBody(req);
        const problem = validator.validateBody(op, body);
        if (problem !== undefined) {
          throw new ApiError(422, { message: problem, documentation_url: op.documentationUrl, status: '422' });
        }
      }
      const handler = HANDLERS[op.operationId];
      if (handler === undefined) throw notFound(op.documentationUrl);
      const exchange: Exchange = {
        req,
        res,
        op,
        repo,
        params: params.values,
        body,
        urls,
        ids,
        storage,
        faults: active,
        canPush: writeTokens.has(token as string),
        json: respond,
        empty: (status, headers = {}) => respond(status, undefined, headers),
      };
      await handler(exchange);
      if (method !== 'GET') await save();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!req.readableEnded) req.resume();
      respond(error.status, error.body, error.headers);
    }
  }

  function matchOperation(method: string, apiPath: string): MatchedOperation | undefined {
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  urls.api = `http://127.0.0.1:${port}`;
  urls.uploads = `${urls.api}/uploads`;

  const api: GitHubServer = {
    url: urls.api,
    uploadsUrl: urls.uploads,
    dataDir,
    requests,
    responseViolations,
    faults,
    async corruptAsset(assetId: number) {
      if (storage.asset(assetId) === undefined) throw new Error(`no asset ${assetId}`);
      await storage.corrupt(assetId);
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

function withoutField(body: unknown, field: string): unknown {
  const strip = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const copy = { ...(value as Record<string, unknown>) };
    delete copy[field];
    return copy;
  };
  return Array.isArray(body) ? body.map(strip) : strip(body);
}

export type { Fault, ActiveFaults };
