/**
 * A minimal fetch over node:http/https for asset bodies. Octokit's default
 * fetch (undici) was measured holding a streamed request body in memory
 * (a 256 MiB upload grew the process by ~300 MiB; node:http with a pipeline
 * stayed flat), so uploads and downloads pass this one to Octokit as
 * `request.fetch`. It streams the body with backpressure both ways and
 * follows redirects for GET (the 302 from an asset to storage), dropping the
 * Authorization header when the redirect leaves the API's origin, as
 * browsers and undici do.
 */
import { open } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | null;
}

const MAX_REDIRECTS = 5;

/**
 * A request body read from a file into two reused buffers: each buffer is
 * refilled only after the socket has taken its previous bytes, so a body of
 * any size allocates nothing per chunk (allocating per chunk let RSS drift
 * up by tens of MiB per GiB before the garbage collector caught up).
 */
export class FileBody {
  readonly file: string;
  readonly size: number;
  /** Told the bytes the socket has taken so far. */
  readonly onProgress: ((done: number, total: number) => void) | undefined;
  constructor(file: string, size: number, onProgress?: (done: number, total: number) => void) {
    this.file = file;
    this.size = size;
    this.onProgress = onProgress;
  }
}

const FILE_CHUNK = 256 * 1024;

async function writeFileBody(body: FileBody, request: http.ClientRequest): Promise<void> {
  const handle = await open(body.file, 'r');
  try {
    const buffers = [Buffer.allocUnsafe(FILE_CHUNK), Buffer.allocUnsafe(FILE_CHUNK)];
    const pending: (Promise<void> | undefined)[] = [undefined, undefined];
    let sent = 0;
    let taken = 0;
    const took = (bytes: number): void => {
      taken += bytes;
      body.onProgress?.(taken, body.size);
    };
    for (let turn = 0; sent < body.size; turn ^= 1) {
      await pending[turn]; // the socket is done with this buffer's previous bytes
      const buffer = buffers[turn] as Buffer;
      const { bytesRead } = await handle.read(buffer, 0, Math.min(FILE_CHUNK, body.size - sent), sent);
      if (bytesRead === 0) throw new Error(`${body.file} is shorter than the ${body.size} bytes announced`);
      sent += bytesRead;
      pending[turn] = new Promise((resolve, reject) =>
        request.write(buffer.subarray(0, bytesRead), (error) => {
          if (error) return reject(error);
          took(bytesRead);
          resolve();
        }),
      );
    }
    await Promise.all(pending);
    await new Promise<void>((resolve) => request.end(resolve));
  } finally {
    await handle.close();
  }
}

export async function streamingFetch(url: string | URL, init: FetchInit = {}): Promise<Response> {
  let target = new URL(url);
  let headers = { ...init.headers };
  const method = (init.method ?? 'GET').toUpperCase();
  for (let hop = 0; ; hop++) {
    const response = await send(target, method, headers, init.body);
    const location = response.headers.location;
    if (
      method === 'GET' &&
      location &&
      [301, 302, 303, 307, 308].includes(response.statusCode ?? 0) &&
      hop < MAX_REDIRECTS
    ) {
      response.resume();
      const next = new URL(location, target);
      if (next.origin !== target.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
        );
      }
      target = next;
      continue;
    }
    return toResponse(response);
  }
}

function send(
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<http.IncomingMessage> {
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, { method, headers });
    request.once('response', resolve);
    request.once('error', reject);
    if (body instanceof FileBody) {
      writeFileBody(body, request).catch((error: unknown) => {
        request.destroy(error as Error);
        reject(error as Error);
      });
    } else if (body instanceof Readable) {
      pipeline(body, request).catch(reject);
    } else if (typeof body === 'string' || body instanceof Uint8Array) {
      request.end(body);
    } else if (body === undefined || body === null) {
      request.end();
    } else {
      reject(new TypeError('streamingFetch: unsupported body type'));
      request.destroy();
    }
  });
}

function toResponse(message: http.IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const status = message.statusCode ?? 500;
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) message.resume();
  return new Response(empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>), { status, headers });
}
