// The workflow's OIDC identity: whether the job has one, and its claims.
// The token itself is asked for by the action (action-kit's jobIdToken,
// @actions/core's getIDToken, with its retries and proxy), so this package
// stays free of @actions/*. Fulcio checks the token's signature; we only
// read the claims to describe the build, so a forged claim here could only
// make a certificate Fulcio refuses.

/** Asks the job for an OIDC token for one audience. */
export type IdTokenSource = (audience: string) => Promise<string>;

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

/**
 * Whether the job can ask for an OIDC token: the runner sets
 * ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN only when it grants `id-token: write`.
 */
export function grantsIdToken(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL'] && env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
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
