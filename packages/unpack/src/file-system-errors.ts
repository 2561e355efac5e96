/**
 * What the operating system refused while unpacking, said in terms of the
 * archive and the target folder instead of a bare errno. Pure: the extractor
 * calls it with what it was doing.
 */
import { printable } from '@build-release-run/archive';
import { UnpackError, UnpackFileSystemError } from './errors.ts';
import { errorMessage } from '@build-release-run/contract';

// Linux's PATH_MAX counts the final NUL; macOS allows 1024 bytes in all.
const PATH_MAX: Partial<Record<NodeJS.Platform, number>> = { darwin: 1024 };
const DEFAULT_PATH_MAX = 4096;

/** The longest full path (in bytes, without the NUL) the platform's calls accept. */
export function maxFullPathBytes(platform: NodeJS.Platform = process.platform): number {
  return (PATH_MAX[platform] ?? DEFAULT_PATH_MAX) - 1;
}

/**
 * Refuses an entry whose full path below `root` the file system cannot hold,
 * before anything is created for it (each segment was checked against
 * NAME_MAX by the entry policy; the joined path depends on the target folder).
 */
export function checkFullPathLength(root: string, name: string, platform: NodeJS.Platform = process.platform): void {
  const bytes = Buffer.byteLength(root) + 1 + Buffer.byteLength(name);
  const max = maxFullPathBytes(platform);
  if (bytes > max) {
    throw new UnpackFileSystemError(
      `'${printable(name)}' would be a path of ${bytes} bytes below '${printable(root)}', longer than the ${max} the file system allows. ` +
        'Unpack into a folder with a shorter path (the deploy input directory).',
      'ENAMETOOLONG',
    );
  }
}

const EXPLANATION: Record<string, string> = {
  ENOSPC:
    'the file system is full: free disk space on the runner, or unpack onto a larger disk (the deploy input directory)',
  EDQUOT: "the user's disk quota is used up: free space, or unpack elsewhere (the deploy input directory)",
  EFBIG: 'the file is larger than the file system allows',
  ENAMETOOLONG: 'the path is too long for the file system: unpack into a folder with a shorter path',
  EROFS: 'the file system is read-only: unpack into a writable folder',
  EACCES: "permission denied: unpack into a folder the runner's user may write",
  EPERM: "operation not permitted: unpack into a folder the runner's user may write",
  EMLINK: 'too many links for the file system',
  EIO: 'an input/output error on the disk',
};

/**
 * The project's error for a failure while creating `name` below `root`:
 * our own errors pass unchanged, an errno becomes an UnpackFileSystemError,
 * anything else (a bug) is rethrown as it is.
 */
export function fileSystemError(error: unknown, root: string, name: string): unknown {
  if (error instanceof UnpackError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return error;
  const why = EXPLANATION[code] ?? `the operating system refused (${errorMessage(error)})`;
  return new UnpackFileSystemError(
    `Could not unpack '${printable(name)}' into '${printable(root)}' (${code}): ${why}. Nothing of the archive was kept.`,
    code,
  );
}
