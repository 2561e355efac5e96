/**
 * The one error boundary every action's index.ts runs its main() in. A
 * user's mistake (ConfigurationError) is reported as it is; a refused token
 * is explained the same way in every action; anything else gives its
 * message, with the stack at debug level for a bug report.
 */
import * as core from '@actions/core';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { explainTokenError } from '@build-release-run/github-api';
import { ActionDeadlineError } from './deadline.ts';

/** What the action's token is used for, to explain a 401 or 403. */
export interface TokenUse {
  /** "write to this repository": the token may not … */
  mayNot: string;
  /** "'permissions: contents: write'": give the job … */
  needs: string;
}

/** The message the step fails with. */
export function failureMessage(error: unknown, token?: TokenUse): string {
  if (error instanceof ConfigurationError) return error.message;
  return (token && explainTokenError(error, token.mayNot, token.needs)) ?? errorMessage(error);
}

export async function runAction(main: () => Promise<void>, token?: TokenUse): Promise<void> {
  try {
    await main();
  } catch (error: unknown) {
    if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(failureMessage(error, token));
    // What the deadline cut but could not abort (a library's request to a
    // service that never answers) still holds a socket and would keep Node
    // alive past the deadline: the failure is reported, so the action ends.
    if (error instanceof ActionDeadlineError) process.exit();
  }
}
