/**
 * Installation tokens for the local workflow runner, as GitHub Actions has
 * one issued for each job (its GITHUB_TOKEN) and ends it with the job:
 *
 *   POST   /_control/tokens  {"repository": "owner/name", "permissions": {"contents": "read", …}}
 *          Authorization: a person's write token given to the server (the runner holds one; jobs never see it)
 *          → 201 {"token": "ghs_…", "repository", "permissions"} (permissions as granted: metadata read added)
 *   DELETE /_control/tokens
 *          Authorization: the installation token itself (as GitHub's `DELETE /installation/token`)
 *          → 204
 *
 * Permission names are GitHub App permissions (`contents`, `pull_requests`),
 * levels `read` or `write`; `none` (or leaving a name out) grants nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Access, type AppPermissions, type Credentials, bearerToken } from '../auth.ts';
import { ApiError, readJsonBody, sendJson } from '../http.ts';

export const TOKENS_PATH = '/_control/tokens';

export interface TokenRouteDeps {
  credentials: Credentials;
  /** Served repositories, by lower-cased `owner/name`. */
  repos: ReadonlyMap<string, { fullName: string }>;
}

function refusal(status: number, message: string): ApiError {
  return new ApiError(status, { message, status: String(status) });
}

function parsePermissions(value: unknown): AppPermissions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw refusal(422, "'permissions' must be an object of permission names to 'read', 'write' or 'none'.");
  }
  const granted: Record<string, Access> = {};
  for (const [name, level] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[a-z][a-z_]*$/.test(name)) throw refusal(422, `'${name}' is not a GitHub App permission name.`);
    if (level === 'none') continue;
    if (level !== 'read' && level !== 'write') {
      throw refusal(422, `Permission '${name}' must be 'read', 'write' or 'none'; got ${JSON.stringify(level)}.`);
    }
    granted[name] = level;
  }
  return granted;
}

async function issue(deps: TokenRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!deps.credentials.mayIssue(bearerToken(req))) {
    req.resume();
    throw refusal(401, 'Issuing installation tokens needs one of the write tokens the server was started with.');
  }
  const body = (await readJsonBody(req)) as { repository?: unknown; permissions?: unknown } | undefined;
  const repository = typeof body?.repository === 'string' ? deps.repos.get(body.repository.toLowerCase()) : undefined;
  if (repository === undefined) {
    throw refusal(
      422,
      `'repository' must name a served repository (owner/name); got ${JSON.stringify(body?.repository)}.`,
    );
  }
  const issued = deps.credentials.issue(repository.fullName, parsePermissions(body?.permissions ?? {}));
  sendJson(res, 201, issued);
}

export async function serveTokens(deps: TokenRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method === 'POST') return await issue(deps, req, res);
    req.resume();
    if (req.method === 'DELETE') {
      const token = bearerToken(req);
      if (token === undefined || !deps.credentials.revoke(token)) throw refusal(401, 'Bad credentials');
      return sendJson(res, 204, undefined);
    }
    throw refusal(404, `No ${req.method} ${TOKENS_PATH}; POST issues a token, DELETE ends the one that calls.`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    sendJson(res, error.status, error.body);
  }
}
