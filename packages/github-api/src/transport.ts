/**
 * How every GitHub and storage request goes out: undici, with a connect
 * timeout and an idle timeout (no response headers, or no body bytes, for
 * that long), through the proxy the environment names for that URL
 * (`HTTPS_PROXY`/`NO_PROXY`, decided by the action's `proxyFor`, the rule
 * Octokit's own proxy fetch uses). A request that times out fails with
 * undici's `UND_ERR_*_TIMEOUT` codes, which errors.ts counts as "no
 * response": transient, retried with backoff.
 *
 * Two fetches over the same dispatchers:
 * - `apiFetch`, undici's fetch, for JSON calls (Octokit's `request.fetch`);
 * - `streamingFetch` for asset bodies, over `undici.request`: undici's fetch
 *   was measured holding a streamed upload in memory (a 512 MiB upload with
 *   `duplex: 'half'` grew the process by ~540 MiB), so bodies go through
 *   `request`, which streams with backpressure both ways (+7 MiB, fileChunks). It follows GET redirects itself (the 302
 *   from an asset to storage), dropping `Authorization` when a redirect
 *   leaves the origin, and refuses a redirect loop by name.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Agent, type Dispatcher, ProxyAgent, fetch as undiciFetch, request as undiciRequest } from 'undici';

export interface Timeouts {
  /** To open the connection (TCP and TLS). */
  connectMs: number;
  /** Without a byte of the response: for its headers, then between body chunks. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 30_000, idleMs: 60_000 };

/** An asset download is refused after this many redirects (GitHub sends one: API → storage). */
export const MAX_REDIRECTS = 10;

export interface TransportOptions {
  timeouts?: Partial<Timeouts>;
  /** The proxy for a URL, or undefined to go direct. Default: direct. */
  proxyFor?: (url: URL) => string | undefined;
}

/** A file streamed as a request body; `onProgress` is told the bytes the socket took. */
export class FileBody {
  readonly file: string;
  readonly size: number;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
  constructor(file: string, size: number, onProgress?: (done: number, total: number) => void) {
    this.file = file;
    this.size = size;
    this.onProgress = onProgress;
  }
}

const FILE_CHUNK = 256 * 1024;

export class RedirectLoopError extends Error {
  override readonly name = 'RedirectLoopError';
  constructor(url: URL) {
    super(
      `the asset download was redirected more than ${MAX_REDIRECTS} times (last to ${url.origin}${url.pathname}): a redirect loop between GitHub and its storage, not a changed asset`,
    );
  }
}

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | null;
}

export class Transport {
  readonly timeouts: Timeouts;
  readonly #proxyFor: (url: URL) => string | undefined;
  readonly #direct: Agent;
  readonly #proxies = new Map<string, ProxyAgent>();

  constructor(options: TransportOptions = {}) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#proxyFor = options.proxyFor ?? (() => undefined);
    this.#direct = new Agent(this.#agentOptions());
  }

  #agentOptions(): Agent.Options {
    return {
      connect: { timeout: this.timeouts.connectMs },
      headersTimeout: this.timeouts.idleMs,
      bodyTimeout: this.timeouts.idleMs,
    };
  }

  /** The dispatcher for one URL: direct, or through its proxy, with the timeouts either way. */
  dispatcherFor(url: URL): Dispatcher {
    const proxy = this.#proxyFor(url);
    if (!proxy) return this.#direct;
    let agent = this.#proxies.get(proxy);
    if (!agent) {
      agent = new ProxyAgent({ uri: proxy, ...this.#agentOptions() });
      this.#proxies.set(proxy, agent);
    }
    return agent;
  }

  /**
   * For Octokit's JSON calls. The body is read here, under the idle
   * timeout: Octokit turns a body that breaks off into an empty string, so a
   * stalled or cut answer must fail before it gets there (it is small).
   */
  readonly apiFetch = async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(url);
    const response = await undiciFetch(target, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: this.dispatcherFor(target),
    });
    const bytes = await response.arrayBuffer();
    const read = new Response(NULL_BODY.has(response.status) ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as unknown as Headers,
    });
    Object.defineProperty(read, 'url', { value: response.url });
    return read;
  };

  /** For asset bodies: streams both ways, follows GET redirects up to MAX_REDIRECTS. */
  readonly streamingFetch = async (url: string | URL, init: FetchInit = {}): Promise<Response> => {
    let target = new URL(url);
    let headers = { ...init.headers };
    const method = (init.method ?? 'GET').toUpperCase();
    for (let hop = 0; ; hop++) {
      const response = await undiciRequest(target, {
        method: method as Dispatcher.HttpMethod,
        headers,
        // undici takes an AsyncIterable body (Dispatcher.request's documented
        // options); its type declarations list only Readable.
        body: requestBody(init.body) as Readable | string | Uint8Array | null,
        signal: init.signal ?? undefined,
        dispatcher: this.dispatcherFor(target),
      });
      const location = response.headers['location'];
      if (method !== 'GET' || typeof location !== 'string' || !isRedirect(response.statusCode)) {
        return toResponse(response, target);
      }
      response.body.resume();
      const next = new URL(location, target);
      if (hop >= MAX_REDIRECTS) throw new RedirectLoopError(next);
      if (next.origin !== target.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
        );
      }
      target = next;
    }
  };

  async close(): Promise<void> {
    await Promise.all([this.#direct.close(), ...[...this.#proxies.values()].map((agent) => agent.close())]);
  }
}

/** Statuses whose response has no body (fetch refuses to make one with a body). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

function requestBody(body: unknown): string | Uint8Array | Readable | AsyncIterable<Uint8Array> | null {
  if (body instanceof FileBody) return body.size === 0 ? Buffer.alloc(0) : fileChunks(body);
  if (body instanceof Readable || typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body === undefined || body === null) return null;
  throw new TypeError('streamingFetch: unsupported body type');
}

/**
 * A file as a request body, read into two reused buffers. undici asks for
 * the next chunk only once the socket has drained the previous one (a chunk
 * is larger than a socket's high-water mark, so each write waits for
 * 'drain'), so a buffer is refilled only after its bytes were sent. Measured
 * on a 512 MiB upload: +7 MiB of RSS, where a file stream (a new buffer per
 * chunk, left to the garbage collector) took +70 MiB.
 */
async function* fileChunks(body: FileBody): AsyncGenerator<Uint8Array> {
  const handle = await open(body.file, 'r');
  try {
    const buffers = [Buffer.allocUnsafe(FILE_CHUNK), Buffer.allocUnsafe(FILE_CHUNK)];
    for (let sent = 0, turn = 0; sent < body.size; turn ^= 1) {
      const buffer = buffers[turn] as Buffer;
      const { bytesRead } = await handle.read(buffer, 0, Math.min(FILE_CHUNK, body.size - sent), sent);
      if (bytesRead === 0) throw new Error(`${body.file} is shorter than the ${body.size} bytes announced`);
      yield buffer.subarray(0, bytesRead);
      // Asked for more: the socket took these bytes.
      sent += bytesRead;
      body.onProgress?.(sent, body.size);
    }
  } finally {
    await handle.close();
  }
}

const nodeBodies = new WeakMap<object, Readable>();

/** The undici body behind a Response body made by streamingFetch, when nothing has read from it yet. */
export function nodeBodyOf(body: unknown): Readable | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const node = nodeBodies.get(body);
  return node !== undefined && !(body as ReadableStream).locked ? node : undefined;
}

function toResponse(response: Dispatcher.ResponseData, url: URL): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const status = response.statusCode;
  const empty = NULL_BODY.has(status);
  if (empty) response.body.resume();
  // Pulled, not pumped: nothing is read from the socket until the web
  // stream is, so a reader that takes the undici body itself (nodeBodyOf)
  // reads it alone, without a second stream and its objects per chunk.
  const body = empty ? null : (ReadableStream.from(response.body) as ReadableStream<Uint8Array>);
  if (body !== null) nodeBodies.set(body, response.body);
  const web = new Response(body, { status, headers });
  Object.defineProperty(web, 'url', { value: url.href });
  return web;
}
