// The runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): a GET
// with `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` and an
// optional `audience` query answers `{"value": "<jwt>"}`, as the Actions
// service does for @actions/core's getIDToken. A job gets the two variables
// (node actions and `run:` steps alike) only when it grants
// `id-token: write`; its request token is bound to its claims.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Claims, type OidcIssuer, createOidcIssuer } from '@build-release-run/sigstore-server';
import type { Json } from './expressions.ts';
import { jobTokenClaims } from './id-token-claims.ts';
import { permissionLevel } from './permissions.ts';
import type { RunnerService, ServiceContext } from './services.ts';
import { literalOf } from './template.ts';

/** What the run knows about the repository beyond the `github` context. */
export interface IdTokenOptions {
  /** Signs the tokens (a local Sigstore trusts it); default a new issuer nobody trusts. */
  issuer?: OidcIssuer;
  repositoryId?: string;
  repositoryOwnerId?: string;
  visibility?: 'public' | 'private' | 'internal';
}

export async function startIdTokenService(context: ServiceContext): Promise<RunnerService> {
  const issuer = context.idTokens?.issuer ?? createOidcIssuer();
  const github = context.github;
  const text = (value: Json | undefined): string => (value === undefined || value === null ? '' : String(value));
  const grants = new Map<string, Claims>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = bearer === undefined ? undefined : grants.get(bearer);
    if (req.method !== 'GET' || url.pathname !== '/idtoken') {
      res.writeHead(404).end();
    } else if (!claims) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
    } else {
      // GitHub's default audience is the URL of the repository owner.
      const audience =
        url.searchParams.get('audience') || `${text(github['server_url'])}/${text(github['repository_owner'])}`;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ value: issuer.issue(claims, audience) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A run that throws must not leave the process waiting on this server.
  server.unref();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    variables(job) {
      if (permissionLevel(job.permissions, 'id-token') !== 'write') return {};
      // The environment only when it is written literally: the token is
      // bound before the job's expressions are evaluated.
      const environment = literalOf(job.model.environment);
      const claims = jobTokenClaims({
        repository: text(github['repository']),
        repositoryId: context.idTokens?.repositoryId ?? '1',
        repositoryOwnerId: context.idTokens?.repositoryOwnerId ?? '1',
        visibility: context.idTokens?.visibility ?? 'public',
        actor: text(github['actor']),
        ref: text(github['ref']),
        sha: text(github['sha']),
        workflowRef: text(github['workflow_ref']),
        jobWorkflowRef: job.jobWorkflow.ref,
        jobWorkflowSha: job.jobWorkflow.sha,
        workflowName: text(github['workflow']),
        eventName: text(github['event_name']),
        runId: text(github['run_id']),
        runNumber: text(github['run_number']),
        runAttempt: text(github['run_attempt']),
        runnerEnvironment: 'github-hosted',
        ...(environment ? { environment } : {}),
      });
      const token = randomBytes(24).toString('hex');
      grants.set(token, claims);
      context.run.masker.add(token);
      // Like GitHub's URL, it already has a query: clients append `&audience=`.
      return {
        all: { ACTIONS_ID_TOKEN_REQUEST_URL: `${base}/idtoken?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token },
      };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
