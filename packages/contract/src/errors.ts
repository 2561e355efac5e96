/**
 * A mistake the user can fix (a bad input, a missing file, a refused path),
 * as opposed to a bug or an outage. Entry points report it as it is, without
 * a stack trace, because the message is the whole story.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** The message of anything thrown, including non-Error values. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  // Errors from another realm (a vm context, a worker) fail instanceof Error.
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  try {
    return `non-error thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-error thrown: ${String(error)}`;
  }
}
