/**
 * Turns what the user pointed at into the sorted list of archive entries,
 * refusing anything that would make the build depend on the machine it was
 * packed on, or reach outside the packed root.
 */
import { readdirSync } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@build-release-run/contract';
import { checkEntryName, checkSymlinkTarget, printable } from './entry-policy.ts';
import type { EntryType } from './tar-header.ts';

const STAT_BATCH = 64;

export interface Entry {
  /** Path inside the archive: '/'-separated, relative to the root, no trailing '/'. */
  name: string;
  /** Where it is on disk. */
  source: string;
  type: EntryType;
  /** 0o644 or 0o755 for files, 0o755 for directories, 0o777 for symlinks. */
  mode: number;
  size: number;
  linkname?: string;
}

/**
 * Lists every file, directory and symlink below `dir` (not `dir` itself),
 * without following symlinks, each folder before its contents. The folders
 * are read with blocking calls: one at a time either way, and a promise per
 * folder cost 50 ms of a 60 MB build's 0.6 s at 400 folders, against 5 ms.
 */
export async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = (folder: string): void => {
    for (const child of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, child.name);
      found.push(full);
      if (child.isDirectory()) visit(full);
    }
  };
  visit(dir);
  return found;
}

/**
 * Builds the entry list for `paths` (absolute, each inside `root`): their
 * parent directories up to the root are added, duplicates merged, and the
 * result sorted bytewise by name so the order never depends on the disk.
 * `inputName` is the user-facing input the paths came from, for errors.
 */
export async function collectEntries(root: string, paths: readonly string[], inputName = 'path'): Promise<Entry[]> {
  const byName = new Map<string, Entry>();
  const rootReal = path.resolve(root);
  const named = new Map<string, string>();
  for (const absolute of paths) {
    const name = archiveName(rootReal, absolute, inputName);
    if (name !== '' && !named.has(name)) named.set(name, absolute);
  }
  // lstat and readlink a batch at a time: the thread pool overlaps them.
  const pending = [...named];
  for (let start = 0; start < pending.length; start += STAT_BATCH) {
    const batch = pending.slice(start, start + STAT_BATCH);
    const described = await Promise.all(batch.map(([name, source]) => describe(source, name, inputName)));
    for (const entry of described) byName.set(entry.name, entry);
  }
  for (const name of named.keys()) {
    for (let parent = path.posix.dirname(name); parent !== '.'; parent = path.posix.dirname(parent)) {
      if (byName.has(parent)) break;
      byName.set(parent, {
        name: parent,
        source: path.join(rootReal, parent),
        type: 'directory',
        mode: 0o755,
        size: 0,
      });
    }
  }
  return [...byName.values()].sort((a, b) => compareBytes(a.name, b.name));
}

function archiveName(root: string, absolute: string, inputName: string): string {
  const relative = path.relative(root, path.resolve(absolute));
  // '..hidden' and '...' are names inside the root, not a way out of it.
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new ConfigurationError(
      `Input '${inputName}': '${absolute}' is outside the folder being packed ('${root}'). List only paths inside it.`,
    );
  }
  const name = relative.split(path.sep).join('/');
  // The unpacker's rule, applied at build time: a build that packs is a build that deploys.
  const checked = checkEntryName(name);
  if (!checked.ok) {
    throw new ConfigurationError(
      `Input '${inputName}': ${checked.reason}; deploy refuses such a name on every platform. Rename it, or exclude it with a '!' line.`,
    );
  }
  return name;
}

async function describe(source: string, name: string, inputName: string): Promise<Entry> {
  const stats = await lstat(source);
  if (stats.isDirectory()) return { name, source, type: 'directory', mode: 0o755, size: 0 };
  if (stats.isFile()) {
    // Only the executable bit is kept: the rest of a mode is the packer's umask.
    const mode = (stats.mode & 0o100) !== 0 ? 0o755 : 0o644;
    return { name, source, type: 'file', mode, size: stats.size };
  }
  if (stats.isSymbolicLink()) {
    const linkname = (await readlink(source)).split(path.sep).join('/');
    const checked = checkSymlinkTarget(name, linkname);
    if (!checked.ok) {
      throw new ConfigurationError(
        `Input '${inputName}': ${checked.reason}. A build must be self-contained, and deploy refuses such a link: ` +
          `make it relative and inside the folder being packed, without '..' after a name (e.g. 'c' or '../c', not 'b/../c'), or copy the target into the build output.`,
      );
    }
    return { name, source, type: 'symlink', mode: 0o777, size: 0, linkname };
  }
  const kind = stats.isSocket() ? 'a socket' : stats.isFIFO() ? 'a FIFO' : 'a device';
  throw new ConfigurationError(
    `Input '${inputName}': '${printable(name)}' is ${kind}; a build may hold only files, folders and symlinks. Exclude it from '${inputName}' (a line starting with '!').`,
  );
}

/** Orders names by their UTF-8 bytes, as `tar --sort=name` does in the C locale. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
