// Each job's GITHUB_TOKEN (github.token, secrets.GITHUB_TOKEN). GitHub has
// an installation token of the GitHub Actions app issued for each job, with
// exactly the job's permissions, and ends it when the job finishes ("Automatic
// token authentication"). The runner does the same against the local GitHub
// server (its POST/DELETE /_control/tokens), asking with one of the server's
// own write tokens, which no job ever sees. Against any other API every job
// gets the one token it was given ('shared').
import { ConfigurationError } from '@build-release-run/contract';
import { appPermissions, type TokenPermissions } from './permissions.ts';

export type JobTokenMode = 'scoped' | 'shared';

export interface JobToken {
  value: string;
  /** Ends the token (the job finished); never throws. */
  end(): Promise<void>;
}

export interface JobTokenSource {
  issue(permissions: TokenPermissions): Promise<JobToken>;
}

/** Every network call has a deadline: the local server answers in milliseconds. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Every job gets `token` itself, whatever it grants. */
export function sharedTokens(token: string): JobTokenSource {
  return { issue: async () => ({ value: token, end: async () => undefined }) };
}

/** Tokens issued by the local GitHub server at `apiUrl` for `repository`, asked for with `credential`. */
export function serverTokens(apiUrl: string, credential: string, repository: string): JobTokenSource {
  const endpoint = `${apiUrl.replace(/\/+$/, '')}/_control/tokens`;
  return {
    async issue(permissions) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization: `token ${credential}`, 'content-type': 'application/json' },
          body: JSON.stringify({ repository, permissions: appPermissions(permissions) }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw refused(endpoint, `no answer (${(error as Error).message})`);
      }
      const body = (await response.json().catch(() => ({}))) as { token?: unknown; message?: unknown };
      if (response.status !== 201 || typeof body.token !== 'string') {
        throw refused(endpoint, `${response.status} ${typeof body.message === 'string' ? body.message : ''}`.trim());
      }
      const value = body.token;
      return {
        value,
        async end() {
          await fetch(endpoint, {
            method: 'DELETE',
            headers: { authorization: `token ${value}` },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          }).catch(() => undefined);
        },
      };
    },
  };
}

function refused(endpoint: string, what: string): ConfigurationError {
  return new ConfigurationError(
    `The runner could not get a GITHUB_TOKEN for the job from ${endpoint}: ${what}. ` +
      "It asks the local GitHub server (apiUrl) for each job's token with the run's token, which must be one of " +
      "the server's write tokens; for another API pass jobTokens: 'shared' (every job gets the run's token).",
  );
}
