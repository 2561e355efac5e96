/**
 * Creates entries below a root folder without ever following a link that is
 * already on disk: every parent is checked to be a real folder, files are
 * opened with O_EXCL|O_NOFOLLOW, nothing existing is replaced. Together with
 * entry-policy.ts this keeps every write inside the root.
 */
import { constants } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, symlink } from 'node:fs/promises';
import path from 'node:path';
import { type SafeEntry, printable } from './entry-policy.ts';
import { UnsafeArchiveError } from './errors.ts';
import { checkFullPathLength, fileSystemError } from './file-system-errors.ts';
import type { ContentSink, TarVisitor } from './tar-reader.ts';

const CREATE_NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
// Folders we created or checked; bounded so memory stays flat on huge trees.
const MAX_KNOWN_FOLDERS = 10_000;

export interface ExtractCounts {
  files: number;
  directories: number;
  symlinks: number;
  hardlinks: number;
}

export class Extractor implements TarVisitor {
  readonly counts: ExtractCounts = { files: 0, directories: 0, symlinks: 0, hardlinks: 0 };
  #root: string;
  #knownFolders = new Set<string>();
  #open: FileHandle | undefined;

  /** `root` must be a real, absolute folder path (resolved by the caller). */
  constructor(root: string) {
    this.#root = root;
  }

  async entry(entry: SafeEntry): Promise<ContentSink | undefined> {
    try {
      return await this.#entry(entry);
    } catch (error) {
      throw fileSystemError(error, this.#root, entry.name);
    }
  }

  async #entry(entry: SafeEntry): Promise<ContentSink | undefined> {
    checkFullPathLength(this.#root, entry.name);
    const target = path.join(this.#root, entry.name);
    await this.#ensureParents(entry.name);
    switch (entry.kind) {
      case 'directory':
        await this.#makeFolder(entry.name, entry.mode);
        this.counts.directories += 1;
        return undefined;
      case 'symlink':
        await this.#create(entry.name, () => symlink(entry.linkname as string, target));
        this.counts.symlinks += 1;
        return undefined;
      case 'hardlink':
        await this.#hardlink(entry);
        this.counts.hardlinks += 1;
        return undefined;
      case 'file':
        this.counts.files += 1;
        return this.#file(entry, target);
    }
  }

  /** Closes a file left open by an interrupted extraction. */
  async abort(): Promise<void> {
    const handle = this.#open;
    this.#open = undefined;
    await handle?.close().catch(() => undefined);
  }

  async #file(entry: SafeEntry, target: string): Promise<ContentSink> {
    // Permission bits only: setuid/setgid/sticky were cleared by the policy; the umask applies as for tar.
    const handle = await this.#create(entry.name, () => open(target, CREATE_NEW_FILE, entry.mode));
    this.#open = handle;
    return {
      write: async (chunk: Buffer) => {
        let offset = 0;
        try {
          while (offset < chunk.length) {
            const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
            offset += bytesWritten;
          }
        } catch (error) {
          throw fileSystemError(error, this.#root, entry.name);
        }
      },
      close: async () => {
        this.#open = undefined;
        // Some file systems report a full disk only when the file is closed.
        await handle.close().catch((error: unknown) => {
          throw fileSystemError(error, this.#root, entry.name);
        });
      },
    };
  }

  async #hardlink(entry: SafeEntry): Promise<void> {
    const targetName = entry.linkname as string;
    await this.#ensureParents(targetName);
    const stats = await lstat(path.join(this.#root, targetName)).catch(() => undefined);
    if (stats === undefined || !stats.isFile()) {
      // A link to a symlink would re-read its relative target from another folder.
      throw new UnsafeArchiveError(
        `the hard link '${printable(entry.name)}' -> '${printable(targetName)}' does not point to a file extracted before it`,
      );
    }
    await this.#create(entry.name, () => link(path.join(this.#root, targetName), path.join(this.#root, entry.name)));
  }

  /** Every folder above `name` exists as a real folder (created if missing), never a link. */
  async #ensureParents(name: string): Promise<void> {
    const segments = name.split('/');
    let current = '';
    for (let i = 0; i < segments.length - 1; i++) {
      current = current === '' ? (segments[i] as string) : `${current}/${segments[i]}`;
      if (this.#knownFolders.has(current)) continue;
      await this.#makeFolder(current, 0o755, name);
    }
  }

  async #makeFolder(name: string, mode: number, forEntry = name): Promise<void> {
    const full = path.join(this.#root, name);
    try {
      // Owner rwx is kept so the rest of the archive can be written into it.
      await mkdir(full, { mode: mode | 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stats = await lstat(full);
      if (stats.isSymbolicLink()) {
        throw new UnsafeArchiveError(
          `'${printable(forEntry)}' would be written through the symlink '${printable(name)}' (or replace it with a folder)`,
        );
      }
      if (!stats.isDirectory()) {
        throw new UnsafeArchiveError(
          `'${printable(forEntry)}' needs '${printable(name)}' to be a folder, but it is a file`,
        );
      }
    }
    if (this.#knownFolders.size >= MAX_KNOWN_FOLDERS) this.#knownFolders.clear();
    this.#knownFolders.add(name);
  }

  /** Creates something new at `name`; an entry that already exists is refused, never replaced. */
  async #create<T>(name: string, make: () => Promise<T>): Promise<T> {
    try {
      return await make();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ELOOP') {
        throw new UnsafeArchiveError(`'${printable(name)}' appears twice in the archive; an entry is never replaced`);
      }
      throw error;
    }
  }
}
