// The workflow's OIDC identity: requested from the runner the way
// @actions/core's getIDToken does (ACTIONS_ID_TOKEN_REQUEST_URL plus an
// audience, bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN), and its claims read.
// Fulcio checks the token's signature; we only read the claims to describe
// the build, so a forged claim here could only make a certificate Fulcio
// refuses.

export interface IdTokenRequest {
  url: string;
  token: string;
}

/** The GitHub Actions token claims the provenance predicate is made from. */
export interface WorkflowClaims {
  repository: string;
  repository_id: string;
  repository_owner_id: string;
  ref: string;
  sha: string;
  workflow_ref: string;
  job_workflow_ref: string;
  event_name: string;
  runner_environment: string;
  run_id: string;
  run_attempt: string;
}

const REQUIRED = [
  'repository',
  'repository_id',
  'repository_owner_id',
  'ref',
  'sha',
  'workflow_ref',
  'job_workflow_ref',
  'event_name',
  'runner_environment',
  'run_id',
  'run_attempt',
] as const satisfies readonly (keyof WorkflowClaims)[];

/** The ID token request the job was given, or undefined when the job does not grant `id-token: write`. */
export function idTokenRequestFromEnv(env: NodeJS.ProcessEnv): IdTokenRequest | undefined {
  const url = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const token = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  return url && token ? { url, token } : undefined;
}

export async function requestIdToken(request: IdTokenRequest, audience: string): Promise<string> {
  const url = new URL(request.url);
  url.searchParams.set('audience', audience);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${request.token}`, accept: 'application/json' },
  });
  if (!response.ok) {
    throw new Error(`The OIDC token request answered ${response.status}; the job must grant 'id-token: write'.`);
  }
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== 'string') throw new Error('The OIDC token response carried no token.');
  return body.value;
}

/** Reads the claims of a JWT (no signature check: see the file comment). */
export function workflowClaims(jwt: string): WorkflowClaims {
  const payload = jwt.split('.')[1];
  if (payload === undefined) throw new Error('The OIDC token is not a JWT.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const missing = REQUIRED.filter((name) => claims[name] === undefined || claims[name] === null);
  if (missing.length > 0) throw new Error(`The OIDC token lacks the claims ${missing.join(', ')}.`);
  return Object.fromEntries(REQUIRED.map((name) => [name, String(claims[name])])) as unknown as WorkflowClaims;
}
