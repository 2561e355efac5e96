export { VerificationError } from '@build-release-run/release-verify';

/** The user's deploy command ran and failed: recorded as `failure`, not as our `error`. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}
