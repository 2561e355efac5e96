/**
 * Requests and answers held to GitHub's OpenAPI description: parameters and
 * JSON bodies are checked before a handler runs (GitHub's 404 / 422), and,
 * when the server is started with `validateResponses`, every JSON answer is
 * checked against the schema of its status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveFaults } from './faults.ts';
import { ApiError, DEFAULT_DOCS, notFound, readJsonBody, sendJson } from './http.ts';
import type { MatchedOperation, OpenApiValidator } from './openapi/validator.ts';

export interface ValidRequest {
  /** Path and query parameters, coerced to the description's types (defaults applied). */
  params: Record<string, unknown>;
  /** The parsed JSON body; undefined when the operation streams its body (uploads). */
  body: unknown;
}

/** Checks parameters, then reads and checks the JSON body unless `streamed`; throws GitHub's answer. */
export async function validateRequest(
  validator: OpenApiValidator,
  op: MatchedOperation,
  url: URL,
  req: IncomingMessage,
  streamed: boolean,
): Promise<ValidRequest> {
  const params = validator.validateParams(op, url.searchParams);
  if (!params.ok) {
    if (params.in === 'path') throw notFound(op.documentationUrl);
    throw new ApiError(422, {
      message: `Invalid request.\n\n${params.message}`,
      documentation_url: op.documentationUrl,
      status: '422',
    });
  }
  if (streamed) return { params: params.values, body: undefined };
  const body = await readJsonBody(req);
  const problem = validator.validateBody(op, body);
  if (problem !== undefined) {
    throw new ApiError(422, { message: problem, documentation_url: op.documentationUrl, status: '422' });
  }
  return { params: params.values, body };
}

export interface ResponseChecks {
  validator: OpenApiValidator;
  /** Check answers against the description (the `validateResponses` option). */
  enabled: boolean;
  /** Where violations are recorded. */
  violations: string[];
}

export type Respond = (status: number, body: unknown, headers?: Record<string, string>) => void;

/**
 * What a handler answers through. A `break-response` fault removes a field
 * first; a violation is recorded, printed, and replaced by a 500 whose
 * message says what was wrong, so the client fails loudly.
 */
export function responder(
  checks: ResponseChecks,
  res: ServerResponse,
  op: MatchedOperation,
  active: ActiveFaults,
  label: string,
): Respond {
  return (status, body, headers = {}) => {
    let payload = body;
    const broken = active.get('break-response');
    if (broken !== undefined) payload = withoutField(payload, broken.removeField);
    if (checks.enabled) {
      const violation = checks.validator.validateResponse(op, status, payload);
      if (violation !== undefined) {
        const message = `OpenAPI response validation failed for ${label} → ${status}: ${violation}`;
        checks.violations.push(message);
        console.error(`github-server: ${message}`);
        return sendJson(res, 500, { message, documentation_url: DEFAULT_DOCS });
      }
    }
    sendJson(res, status, payload, headers);
  };
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
