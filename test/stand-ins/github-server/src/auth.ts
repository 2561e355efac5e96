/**
 * Who is calling, and what they may spend: tokens (write or read-only) and
 * the rate-limit budgets whose `x-ratelimit-*` headers every API answer
 * carries. Authentication comes first on GitHub: a bad token is 401 whatever
 * the route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, DEFAULT_DOCS } from './http.ts';
import type { MatchedOperation } from './openapi/validator.ts';

export type Access = 'write' | 'read';

export interface Caller {
  access: Access;
  budget: Budget;
}

export interface Budget {
  limit: number;
  used: number;
}

export class Credentials {
  readonly #write: Set<string>;
  readonly #readOnly: Set<string>;
  // Unauthenticated callers get their own, smaller budget, as on GitHub.
  readonly #budgets = { core: { limit: 5000, used: 0 }, unauthenticated: { limit: 60, used: 0 } };
  readonly #reset = Math.floor(Date.now() / 1000) + 3600;

  constructor(write: string | string[], readOnly: string[] = []) {
    this.#write = new Set(Array.isArray(write) ? write : [write]);
    this.#readOnly = new Set(readOnly);
  }

  /** What a token may do: write, read, or nothing (unknown or missing). */
  accessOf(token: string | undefined): Access | undefined {
    if (token === undefined) return undefined;
    if (this.#write.has(token)) return 'write';
    return this.#readOnly.has(token) ? 'read' : undefined;
  }

  /**
   * Counts the request against its budget, sets the rate-limit headers
   * (`rateHeaders`: the uploads host sends none, as recorded), and returns
   * the caller; a missing or unknown token is answered 401 here.
   */
  authenticate(req: IncomingMessage, res: ServerResponse, rateHeaders: boolean): Caller | ApiError {
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const access = this.accessOf(token);
    const budget = access === undefined ? this.#budgets.unauthenticated : this.#budgets.core;
    budget.used++;
    if (rateHeaders) this.#setHeaders(res, budget);
    if (access === undefined) {
      const message = token === undefined ? 'Requires authentication' : 'Bad credentials';
      return new ApiError(401, { message, documentation_url: DEFAULT_DOCS, status: '401' });
    }
    return { access, budget };
  }

  #setHeaders(res: ServerResponse, budget: Budget): void {
    res.setHeader('x-ratelimit-limit', String(budget.limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(budget.limit - budget.used, 0)));
    res.setHeader('x-ratelimit-used', String(budget.used));
    res.setHeader('x-ratelimit-reset', String(this.#reset));
    res.setHeader('x-ratelimit-resource', 'core');
  }
}

/** A read-only token may read (GET, HEAD) and nothing else. */
export function checkAccess(caller: Caller, method: string, op: MatchedOperation): void {
  if (caller.access === 'read' && method !== 'GET' && method !== 'HEAD') {
    throw new ApiError(403, {
      message: 'Resource not accessible by integration',
      documentation_url: op.documentationUrl,
      status: '403',
    });
  }
}
