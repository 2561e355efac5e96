/**
 * The job's OIDC token, through @actions/core's getIDToken: the runner's
 * ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, the proxy the environment names,
 * retries of a 502/503/504 answer, and the token masked in the log. The one
 * wrapper every action asks through (the build's and the release's
 * attestations; deploy's identity checks). The request has no timeout of its
 * own: the action's deadline bounds it (withinDeadline).
 */
import * as core from '@actions/core';
import { errorMessage } from '@build-release-run/contract';

/** A token for `audience` (e.g. `sigstore`); fails saying the permission the job needs. */
export async function jobIdToken(audience: string): Promise<string> {
  try {
    return await core.getIDToken(audience);
  } catch (error) {
    throw new Error(
      `The job's OIDC token for audience '${audience}' could not be had (${errorMessage(error)}); the job must grant 'permissions: id-token: write'.`,
      { cause: error },
    );
  }
}
