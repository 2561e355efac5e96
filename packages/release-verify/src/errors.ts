/**
 * A release whose bytes do not match what it says it is. Never a user's
 * typo: it means the release was changed or damaged after it was made, and
 * nothing of it may be used.
 */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
}
