import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answer in GitHub's shape; handlers throw it, the dispatcher sends it. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(String(body.message ?? status));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export const DEFAULT_DOCS = 'https://docs.github.com/rest';

export function notFound(documentationUrl = DEFAULT_DOCS): ApiError {
  return new ApiError(404, { message: 'Not Found', documentation_url: documentationUrl, status: '404' });
}

/** A 422 with a plain message, e.g. "Reference already exists". */
export function unprocessable(message: string, documentationUrl = DEFAULT_DOCS): ApiError {
  return new ApiError(422, { message, documentation_url: documentationUrl, status: '422' });
}

export interface FieldError {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  message?: string;
}

/** GitHub's "Validation Failed" 422 with field errors. */
export function validationFailed(errors: FieldError[], documentationUrl = DEFAULT_DOCS): ApiError {
  return new ApiError(422, {
    message: 'Validation Failed',
    errors,
    documentation_url: documentationUrl,
    status: '422',
  });
}

/** GitHub's 422 for a text field over its length limit (a release body, a deployment status description). */
export function tooLong(
  resource: string,
  field: string,
  text: string | undefined,
  max: number,
  documentationUrl?: string,
): ApiError | undefined {
  if (text === undefined || text.length <= max) return undefined;
  return validationFailed(
    [{ resource, code: 'custom', field, message: `${field} is too long (maximum is ${max} characters)` }],
    documentationUrl,
  );
}

const MAX_JSON_BODY = 1024 * 1024;

/** Reads a JSON body; undefined when empty. Throws GitHub's 400 for malformed JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY)
      throw new ApiError(413, { message: 'Request body too large', documentation_url: DEFAULT_DOCS });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, { message: 'Problems parsing JSON', documentation_url: DEFAULT_DOCS, status: '400' });
  }
}

/** GitHub's timestamp format: ISO 8601 in UTC, whole seconds. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A page of a list and the `Link` header GitHub sends with it. */
export function paginate<T>(
  items: T[],
  perPage: number,
  page: number,
  pageUrl: (page: number) => string,
): { items: T[]; link: string | undefined } {
  const size = Math.min(Math.max(perPage, 1), 100);
  const current = Math.max(page, 1);
  const last = Math.max(Math.ceil(items.length / size), 1);
  const links: string[] = [];
  if (current > 1) links.push(`<${pageUrl(current - 1)}>; rel="prev"`);
  if (current < last) links.push(`<${pageUrl(current + 1)}>; rel="next"`);
  if (current < last) links.push(`<${pageUrl(last)}>; rel="last"`);
  if (current > 1) links.push(`<${pageUrl(1)}>; rel="first"`);
  return {
    items: items.slice((current - 1) * size, current * size),
    link: links.length > 0 ? links.join(', ') : undefined,
  };
}

/** Serialises async work: one section at a time, in arrival order. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(work, work);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}

/** Writes a JSON answer (or an empty one when `body` is undefined). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    // A 204 has no content, and no Content-Length (RFC 9110 §8.6; GitHub sends none).
    ...(status === 204 ? {} : { 'content-length': String(Buffer.byteLength(text)) }),
    ...headers,
  });
  res.end(text);
}
