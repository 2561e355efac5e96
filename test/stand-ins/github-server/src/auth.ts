/**
 * Who is calling, and what they may spend. Two kinds of tokens, as on
 * GitHub:
 *
 * - the tokens given when the server starts (`token`, `readOnlyTokens`):
 *   a person's token, write or read-only, on every served repository;
 * - installation tokens (`ghs_…`) issued for one repository with a set of
 *   GitHub App permissions, as GitHub Actions issues each job's
 *   GITHUB_TOKEN ("Automatic token authentication": the GITHUB_TOKEN is an
 *   installation access token of the GitHub Actions app, which expires when
 *   the job finishes). The local workflow runner asks for one per job
 *   (routes/tokens.ts) and revokes it when the job ends. What each
 *   operation needs of them is in permissions.ts.
 *
 * Authentication comes first on GitHub: a bad token is 401 whatever the
 * route. Every API answer carries the `x-ratelimit-*` headers of the
 * caller's budget.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, DEFAULT_DOCS } from './http.ts';

export type Access = 'write' | 'read';

/** GitHub App permissions by their API names (`contents`, `pull_requests`, …), as an installation token carries them. */
export type AppPermissions = Readonly<Record<string, Access>>;

/** What a token was given. */
export type Grant =
  { kind: 'person'; access: Access } | { kind: 'installation'; repository: string; permissions: AppPermissions };

export interface Caller {
  grant: Grant;
  budget: Budget;
}

export interface Budget {
  limit: number;
  used: number;
}

export type Visibility = 'public' | 'private' | 'internal';

/** An installation token as the runner receives it. */
export interface IssuedToken {
  token: string;
  repository: string;
  permissions: AppPermissions;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `ghs_` and 36 base62 characters: the shape of GitHub's installation tokens. */
function installationTokenText(): string {
  const bytes = randomBytes(36);
  return `ghs_${[...bytes].map((b) => BASE62[b % BASE62.length]).join('')}`;
}

export class Credentials {
  readonly #people = new Map<string, Access>();
  readonly #installations = new Map<string, IssuedToken>();
  // Unauthenticated callers get their own, smaller budget, as on GitHub.
  readonly #budgets = { core: { limit: 5000, used: 0 }, unauthenticated: { limit: 60, used: 0 } };
  readonly #reset = Math.floor(Date.now() / 1000) + 3600;

  constructor(write: string | string[], readOnly: string[] = []) {
    for (const token of readOnly) this.#people.set(token, 'read');
    for (const token of Array.isArray(write) ? write : [write]) this.#people.set(token, 'write');
  }

  /** What a token was given, or undefined (unknown, revoked or missing). */
  grantOf(token: string | undefined): Grant | undefined {
    if (token === undefined) return undefined;
    const person = this.#people.get(token);
    if (person !== undefined) return { kind: 'person', access: person };
    const installation = this.#installations.get(token);
    if (installation === undefined) return undefined;
    return { kind: 'installation', repository: installation.repository, permissions: installation.permissions };
  }

  /**
   * What a token may do in the container registry whose token realm this
   * server serves: a person's token as its access; an installation token
   * as its `packages` permission (GHCR takes the job's GITHUB_TOKEN as the
   * registry password and grants what `packages:` grants).
   */
  packageAccessOf(token: string | undefined): Access | undefined {
    const grant = this.grantOf(token);
    if (grant === undefined) return undefined;
    return grant.kind === 'person' ? grant.access : grant.permissions['packages'];
  }

  /** May this token ask for installation tokens? Only a person's write token (the runner holds one). */
  mayIssue(token: string | undefined): boolean {
    return token !== undefined && this.#people.get(token) === 'write';
  }

  /** A new installation token for one repository with exactly these permissions (`metadata: read` always). */
  issue(repository: string, permissions: AppPermissions): IssuedToken {
    const issued = {
      token: installationTokenText(),
      repository,
      permissions: { ...permissions, metadata: 'read' as const },
    };
    this.#installations.set(issued.token, issued);
    return issued;
  }

  /** Ends an installation token, as GitHub ends a job's GITHUB_TOKEN when the job finishes. */
  revoke(token: string): boolean {
    return this.#installations.delete(token);
  }

  /**
   * Counts the request against its budget, sets the rate-limit headers
   * (`rateHeaders`: the uploads host sends none, as recorded), and returns
   * the caller; a missing or unknown token is answered 401 here.
   */
  authenticate(req: IncomingMessage, res: ServerResponse, rateHeaders: boolean): Caller | ApiError {
    const token = bearerToken(req);
    const grant = this.grantOf(token);
    const budget = grant === undefined ? this.#budgets.unauthenticated : this.#budgets.core;
    budget.used++;
    if (rateHeaders) this.#setHeaders(res, budget);
    if (grant === undefined) {
      const message = token === undefined ? 'Requires authentication' : 'Bad credentials';
      return new ApiError(401, { message, documentation_url: DEFAULT_DOCS, status: '401' });
    }
    return { grant, budget };
  }

  #setHeaders(res: ServerResponse, budget: Budget): void {
    res.setHeader('x-ratelimit-limit', String(budget.limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(budget.limit - budget.used, 0)));
    res.setHeader('x-ratelimit-used', String(budget.used));
    res.setHeader('x-ratelimit-reset', String(this.#reset));
    res.setHeader('x-ratelimit-resource', 'core');
  }
}

/** The token of `Authorization: token X` or `Bearer X`. */
export function bearerToken(req: IncomingMessage): string | undefined {
  return /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}
