// Twirp's wire format as GitHub's results service speaks it: POST
// /twirp/<service>/<Method> with a JSON body (proto field names), answered
// with JSON, or an error `{code, msg}` with the HTTP status Twirp gives that
// code (https://twitchtv.github.io/twirp/docs/spec_v7.html).
import type { IncomingMessage, ServerResponse } from 'node:http';

export type TwirpCode =
  | 'malformed'
  | 'bad_route'
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'internal';

const STATUS: Record<TwirpCode, number> = {
  malformed: 400,
  bad_route: 404,
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500,
};

export class TwirpError extends Error {
  readonly code: TwirpCode;
  constructor(code: TwirpCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type TwirpMethod = (body: Record<string, unknown>, request: IncomingMessage) => Promise<object>;

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new TwirpError('malformed', 'the request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TwirpError('malformed', 'the request body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Serves one Twirp service's methods; anything else is `bad_route`. */
export function twirpHandler(service: string, methods: Record<string, TwirpMethod>) {
  const prefix = `/twirp/${service}/`;
  return async (request: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const pathname = new URL(request.url ?? '/', 'http://service').pathname;
      const method = pathname.startsWith(prefix) ? methods[pathname.slice(prefix.length)] : undefined;
      if (request.method !== 'POST' || method === undefined) {
        throw new TwirpError('bad_route', `no handler for ${request.method} ${pathname}`);
      }
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new TwirpError('bad_route', 'only application/json is served here');
      }
      send(res, 200, await method(await readJson(request), request));
    } catch (error) {
      const twirp = error instanceof TwirpError ? error : new TwirpError('internal', String(error));
      send(res, STATUS[twirp.code], { code: twirp.code, msg: twirp.message });
    }
  };
}

/** A required string field of a request, or `invalid_argument` naming it. */
export function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new TwirpError('invalid_argument', `${field} is required`);
  return value;
}

/** A wrapper-type field (google.protobuf.StringValue / Int64Value): JSON gives the bare value. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new TwirpError('invalid_argument', `${field} must be a string`);
}
