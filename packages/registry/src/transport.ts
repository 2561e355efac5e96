/**
 * One HTTP exchange with a registry or its token service: a timeout over the
 * whole exchange (headers and body), and a cap on the bytes read, so a
 * registry can neither hang a job nor fill its memory.
 */
export interface Exchange {
  status: number;
  headers: Headers;
  /** The body, at most `maxBytes`; empty for HEAD. */
  body: Buffer;
  /** The URL answered after redirects. */
  url: string;
}

export interface ExchangeOptions {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  maxBytes: number;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

export class ExchangeFailedError extends Error {
  override readonly name = 'ExchangeFailedError';
}

export async function exchange(url: URL, options: ExchangeOptions): Promise<Exchange> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    // fetch follows redirects (blobs often redirect to storage) and, per the
    // Fetch standard, drops Authorization when a redirect leaves the origin,
    // as the distribution spec requires.
    const response = await doFetch(url, {
      method: options.method,
      headers: options.headers,
      signal,
      redirect: 'follow',
    });
    const body = options.method === 'HEAD' ? Buffer.alloc(0) : await readCapped(response, options.maxBytes);
    return { status: response.status, headers: response.headers, body, url: response.url || url.href };
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    const reason = signal.aborted
      ? `no complete answer within ${Math.round(options.timeoutMs / 1000)} s`
      : describeNetworkError(error);
    throw new ExchangeFailedError(`${options.method} ${url.origin}${url.pathname} failed: ${reason}`, { cause: error });
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new BodyTooLargeError(`the answer is ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new BodyTooLargeError(`the answer is more than the ${maxBytes} bytes allowed`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
