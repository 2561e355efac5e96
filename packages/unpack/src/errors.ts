/**
 * An archive that would write outside its folder, or could exhaust the
 * runner (a bomb), or is not a tar archive we understand. Not a user's
 * configuration mistake: the archive is refused as a whole and nothing of it
 * may be used.
 */
export class UnsafeArchiveError extends Error {
  override readonly name = 'UnsafeArchiveError';
}

/** The bytes read are not the bytes that were released. */
export class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';
}
