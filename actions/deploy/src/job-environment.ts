/**
 * Input 'environment' against the environment the job runs under. The input
 * is required and never taken from the release; where the job can get an
 * OIDC token (it grants `id-token: write`, so the runner gives it
 * ACTIONS_ID_TOKEN_REQUEST_URL), the token's `environment` claim, which
 * GitHub sets from the job's `environment:` (and with it the environment's
 * protection rules), must be that same environment. A job running under
 * `environment: production` cannot deploy as `staging`, nor a job under no
 * environment deploy to one. Without a token nothing can be compared: the
 * input alone decides (docs/security.md).
 */
import { ConfigurationError, errorMessage, logText, quoteRefused } from '@build-release-run/contract';

export type JobEnvironment =
  | { checked: true; environment: string }
  /** The job grants no `id-token: write`: there is no token to compare with. */
  | { checked: false };

/** The claims of a JWT, without its signature checked: the runner handed it to this job over its own channel. */
function tokenClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  const claims: unknown =
    payload === undefined ? undefined : JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (typeof claims !== 'object' || claims === null) throw new Error('the token is not a JWT');
  return claims as Record<string, unknown>;
}

/** Pure: the refusal for a token whose `environment` claim is not `input` (a valid environment name), or undefined when they agree. */
export function environmentClaimProblem(input: string, claim: unknown): string | undefined {
  if (claim === input) return undefined;
  if (typeof claim !== 'string' || claim === '') {
    return (
      `Input 'environment' is '${input}', but this job runs under no environment (its OIDC token has no 'environment' claim), ` +
      `so the protection rules of '${input}' never applied to it. Add 'environment: ${input}' to the deploy job.`
    );
  }
  return (
    `Input 'environment' is '${input}', but this job runs under environment ${quoteRefused(claim)} (its OIDC token's 'environment' claim). ` +
    `Deploy to the environment the job runs under: set the job's 'environment:' and the input to the same name.`
  );
}

export async function checkJobEnvironment(
  input: string,
  env: NodeJS.ProcessEnv,
  getIdToken: () => Promise<string>,
  log: { info(message: string): void },
): Promise<JobEnvironment> {
  if (!env['ACTIONS_ID_TOKEN_REQUEST_URL']) {
    log.info(
      `The job grants no 'id-token: write': the environment it runs under cannot be compared with input 'environment' (${logText(input)}).`,
    );
    return { checked: false };
  }
  let claim: unknown;
  try {
    claim = tokenClaims(await getIdToken())['environment'];
  } catch (error) {
    throw new Error(
      `Could not read this job's OIDC token to compare the environment it runs under with input 'environment': ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const problem = environmentClaimProblem(input, claim);
  if (problem !== undefined) throw new ConfigurationError(problem);
  log.info(`The job runs under environment ${logText(input)} (its OIDC token says so), as input 'environment' asks.`);
  return { checked: true, environment: input };
}
