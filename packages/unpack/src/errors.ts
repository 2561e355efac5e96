/**
 * Every way unpacking can fail is one of these: a caller (and the fuzz test)
 * can tell a refusal from a bug, and the user reads what was wrong with the
 * archive or the disk, never a bare zlib or errno message.
 */
export class UnpackError extends Error {
  override readonly name: string = 'UnpackError';
}

/**
 * An archive that would write outside its folder, or could exhaust the
 * runner (a bomb), or is not a tar archive we understand. Not a user's
 * configuration mistake: the archive is refused as a whole and nothing of it
 * may be used.
 */
export class UnsafeArchiveError extends UnpackError {
  override readonly name: string = 'UnsafeArchiveError';
}

/** The compressed bytes are not valid gzip or zstd (damaged, truncated, or another format). */
export class CorruptArchiveError extends UnsafeArchiveError {
  override readonly name = 'CorruptArchiveError';
}

/** The bytes read are not the bytes that were released. */
export class DigestMismatchError extends UnpackError {
  override readonly name = 'DigestMismatchError';
}

/** The target's file system refused (full, read-only, names too long for it, permissions). */
export class UnpackFileSystemError extends UnpackError {
  override readonly name = 'UnpackFileSystemError';
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}
