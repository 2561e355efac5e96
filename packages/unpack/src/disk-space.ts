/**
 * Refuses a deploy early when the target's file system cannot hold it,
 * instead of failing on ENOSPC after minutes of work (a hosted runner has
 * about 14 GB free). Only a lower bound is known before unpacking: the
 * archive itself (downloaded next to the target when they share a file
 * system) and the unpacked size, which is at least the archive's unless the
 * release declares it.
 */
import { stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '@build-release-run/contract';
import { UnpackFileSystemError } from './errors.ts';

export interface FreeSpaceNeed {
  /** Bytes of the compressed archive, as the release declares them. */
  archiveBytes: number;
  /** Bytes it unpacks to, when the release says; else the archive's size stands in. */
  expandedBytes?: number;
  /** Bytes of the files attached beside the build: downloaded next to the archive, kept for the command. */
  attachedBytes?: number;
  /** The downloaded archive (and the attached files) sit on the same file system. */
  archiveOnSameFileSystem: boolean;
}

// Room for the file system's own metadata, logs and the deploy command's
// first writes: 10% of the need, at least 64 MiB.
const MIN_MARGIN = 64 * 1024 ** 2;
const MARGIN_SHARE = 0.1;

/** Why `free` bytes are not enough for `need` in `folder`, or undefined when they are. Pure. */
export function spaceProblem(need: FreeSpaceNeed, free: number, folder: string): string | undefined {
  const unpacked = need.expandedBytes ?? need.archiveBytes;
  const attached = need.attachedBytes ?? 0;
  const base = unpacked + (need.archiveOnSameFileSystem ? need.archiveBytes + attached : 0);
  const required = base + Math.max(MIN_MARGIN, Math.ceil(base * MARGIN_SHARE));
  if (free >= required) return undefined;
  const unpacks =
    need.expandedBytes === undefined
      ? `the release's archive is ${formatBytes(need.archiveBytes)} and unpacks to at least as much`
      : `the release's archive is ${formatBytes(need.archiveBytes)} and unpacks to ${formatBytes(need.expandedBytes)}`;
  const what =
    need.archiveOnSameFileSystem && attached > 0
      ? `${unpacks}; its attached files are ${formatBytes(attached)}`
      : unpacks;
  return (
    `Not enough disk space to deploy: ${what}, which needs about ${formatBytes(required)} with a margin, ` +
    `but the file system of '${folder}' has ${formatBytes(free)} free. ` +
    "Free space on the runner (or use a larger one), or set the input 'directory' to a folder on a larger disk."
  );
}

/**
 * Compares the need with the free space of the file system `directory` will
 * be on (its nearest existing folder); `downloadFolder` is where the archive
 * is downloaded to. Throws an UnpackFileSystemError (ENOSPC) when it does not fit.
 */
export async function checkFreeSpace(
  directory: string,
  downloadFolder: string,
  need: Omit<FreeSpaceNeed, 'archiveOnSameFileSystem'>,
): Promise<void> {
  const existing = await nearestExisting(path.resolve(directory));
  const [space, targetStats, downloadStats] = await Promise.all([
    statfs(existing),
    stat(existing),
    stat(downloadFolder),
  ]);
  const free = space.bavail * space.bsize;
  const problem = spaceProblem(
    { ...need, archiveOnSameFileSystem: targetStats.dev === downloadStats.dev },
    free,
    existing,
  );
  if (problem !== undefined) throw new UnpackFileSystemError(problem, 'ENOSPC');
}

async function nearestExisting(folder: string): Promise<string> {
  for (let current = folder; ; current = path.dirname(current)) {
    const found = await stat(current).then(
      () => true,
      () => false,
    );
    if (found || path.dirname(current) === current) return current;
  }
}
