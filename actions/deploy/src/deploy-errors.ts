/**
 * A release whose bytes do not match what it says it is. Never a user's
 * typo: it means the release was changed or damaged after it was made, and
 * nothing of it may run.
 */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
}

/** The user's deploy command ran and failed: recorded as `failure`, not as our `error`. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}
