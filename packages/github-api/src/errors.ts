/** What a failed GitHub call looks like to the code above the gateway. */

export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  /** HTTP status; 0 when no response came (connection refused, reset). */
  readonly status: number;
  readonly route: string;
  /** GitHub's `errors[].code` values, e.g. `already_exists`. */
  readonly codes: readonly string[];
  /** GitHub's own message (or the network error's). */
  readonly detail: string;
  /** What to check for this status; empty when the status needs none. */
  readonly hint: string;

  constructor(route: string, status: number, message: string, codes: readonly string[] = [], cause?: unknown) {
    const hint = hintFor(status, message, codes);
    const request = requestLine(route, cause);
    super(
      `GitHub API ${request} failed${status ? ` with ${status}` : ' without a response'}: ${message}${hint ? `. ${hint}` : ''}`,
      { cause },
    );
    this.detail = message;
    this.status = status;
    this.route = route;
    this.codes = codes;
    this.hint = hint;
  }
}

/**
 * The request as it was sent, placeholders filled: `GET /repos/octo/app/releases`.
 * Octokit's error carries the expanded URL; the API's host is left out (the
 * same for every call).
 * Without it (a request function that did not say), the route template.
 */
function requestLine(route: string, cause: unknown): string {
  const request = (cause as { request?: { method?: unknown; url?: unknown } } | undefined)?.request;
  if (typeof request?.url !== 'string') return route;
  try {
    const url = new URL(request.url);
    const method = typeof request.method === 'string' ? request.method : route.split(' ')[0];
    // A call made to a full URL (an asset upload to `upload_url`) keeps its host: it is not the API's.
    const origin = route.includes('://') ? url.origin : '';
    return `${method} ${origin}${url.pathname}${url.search}`;
  } catch {
    return route;
  }
}

/** One hint per status that the caller can act on; 5xx and network failures are retried instead. */
export function hintFor(status: number, message: string, codes: readonly string[] = []): string {
  if (status === 401) {
    return "Hint: GitHub did not accept the token: it is missing, mistyped, expired or revoked. Pass a valid token (in a workflow, the job's GITHUB_TOKEN)";
  }
  if (status === 403 && /rate limit/i.test(message)) {
    return 'Hint: the token ran out of API requests for now; wait for the rate limit to reset and run again';
  }
  if (status === 403) {
    return 'Hint: the token may not do this. Give the job the permission the call needs (contents: write for releases and tags, deployments: write for deployments) or use a token that has it';
  }
  if (status === 404) {
    return "Hint: check the repository name (owner/name), that the token can see that repository (GitHub answers 404, not 403, to a token that may not read it: check its scope and the job's permissions), and that the release, tag or asset named exists";
  }
  if (status === 422) {
    return `Hint: GitHub found the request invalid${codes.length > 0 ? ` (${codes.join(', ')})` : ''}; its message says what to change`;
  }
  return '';
}

/** The token may not do this (read-only token, missing `permissions:`). Not a rate limit. */
export function isPermissionError(error: unknown): boolean {
  return error instanceof GitHubApiError && error.status === 403 && !/rate limit/i.test(error.message);
}

/**
 * What to tell the user when a call failed because of the token: a 401 (bad
 * token) or a 403 that is not a rate limit (the token may not do this).
 * `needs` says what the token must be allowed, e.g. "permissions: contents:
 * write". Undefined for any other failure.
 */
export function explainTokenError(error: unknown, mayNot: string, needs: string): string | undefined {
  if (isPermissionError(error)) {
    const refused = error as GitHubApiError;
    // GitHub names what the refused request needed; the action's own guess is for a server that does not.
    const accepted = acceptedPermissions(refused);
    const what = accepted === undefined ? mayNot : `make this request (${refused.route})`;
    return `Input 'token' may not ${what} (${refused.detail}). Give the job ${accepted ?? needs}, or pass a token that can.`;
  }
  if (error instanceof GitHubApiError && error.status === 401) {
    return `Input 'token' was refused by GitHub (401 ${error.detail}); pass a valid token (default: the job's GITHUB_TOKEN).`;
  }
  return undefined;
}

/** `x-accepted-github-permissions` as GitHub writes it: `name=access`, alternatives separated by `;`. */
const ACCEPTED_PERMISSIONS = /^[a-z_]{1,64}=(?:read|write|admin)(?:; ?[a-z_]{1,64}=(?:read|write|admin)){0,9}$/;

/**
 * What GitHub says a refused request accepts (its `x-accepted-github-permissions`
 * header), as the `permissions:` a job grants: `'permissions: attestations: read'`,
 * alternatives joined with "or". Undefined when the answer has no such header,
 * or one that is not in GitHub's form (it is the server's text: never echoed
 * unchecked).
 */
export function acceptedPermissions(error: GitHubApiError): string | undefined {
  const value = describeThrown(error.cause).headers['x-accepted-github-permissions'];
  if (typeof value !== 'string' || !ACCEPTED_PERMISSIONS.test(value.trim())) return undefined;
  return value
    .trim()
    .split(/; ?/)
    .map((permission) => `'permissions: ${permission.replace('=', ': ')}'`)
    .join(' or ');
}

/** Reads status, headers and GitHub's message from whatever the request function threw. */
export function describeThrown(error: unknown): {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
  codes: string[];
  network: boolean;
} {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
    response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  };
  const headers = record.response?.headers ?? {};
  const data = record.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const codes: string[] = [];
  if (data && Array.isArray(data.errors)) {
    for (const item of data.errors as unknown[]) {
      if (item && typeof item === 'object' && typeof (item as { code?: unknown }).code === 'string') {
        codes.push((item as { code: string }).code);
      }
    }
  }
  const message =
    data && typeof data.message === 'string'
      ? data.message
      : typeof record.message === 'string'
        ? record.message
        : String(error);
  const status = typeof record.status === 'number' ? record.status : 0;
  // @octokit/request reports a fetch that never got a response as status 500
  // with the socket error as cause; a stream cut mid-body has no status at all.
  // Anything else without a response is a client-side failure (a bad header,
  // a bug): final, not a 500 to retry.
  const noResponse = record.response === undefined && (status === 0 || status === 500);
  const network = noResponse && isNetworkFailure(error);
  const stalled = network && networkCode(error, TIMEOUT_CODES) !== undefined;
  return {
    status: noResponse ? 0 : status,
    headers,
    message: stalled && !message.startsWith(STALLED) ? `${STALLED} (${message})` : message,
    codes,
    network,
  };
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** A connection that opened but went quiet: the transport's connect and idle timeouts. */
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const STALLED = 'the API did not answer in time';

function networkCode(error: unknown, codes: ReadonlySet<string>): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const record = current as { code?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && codes.has(record.code)) return record.code;
    current = record.cause;
  }
  return undefined;
}

function isNetworkFailure(error: unknown): boolean {
  if (networkCode(error, NETWORK_CODES) !== undefined) return true;
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const record = current as { message?: unknown; cause?: unknown };
    if (typeof record.message === 'string' && /terminated|other side closed|socket hang up/i.test(record.message)) {
      return true;
    }
    current = record.cause;
  }
  return false;
}
