/**
 * Writes the archive: tar → compressor → sha256 → file, in one streaming
 * pass. The digest is taken from the bytes as they go to disk; the archive is
 * never read back. Memory stays bounded by the chunk size whatever the build.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { ConfigurationError, type Digest, formatDigest, writeAll } from '@build-release-run/contract';
import { type ArchiveFormat, type BlockSink, createBlockCompressor } from './compression.ts';
import type { Entry } from './entries.ts';
import { encodeHeader, endOfArchive, padding } from './tar-header.ts';

export interface PackOptions {
  entries: readonly Entry[];
  format: ArchiveFormat;
  /** Seconds since the epoch written as every entry's mtime. */
  mtime: number;
  /** The archive file to create; nothing is left at this path on failure. */
  output: string;
  /** The user-facing input the entries came from, for errors. */
  inputName?: string;
  /** Told the file bytes archived so far, of all the files' bytes. */
  onProgress?: (done: number, total: number) => void;
}

export interface PackResult {
  digest: Digest;
  /** Bytes of the archive file. */
  size: number;
  /** Regular files in the archive. */
  files: number;
}

// Files up to this size are read with blocking calls, straight into the
// block being filled. A build is mostly small files, and each promise-based
// open, read and close is a trip through the thread pool, which the two
// compressors keep busy: at 60 MB in 1,500 files those trips were a quarter
// of the run (docs/performance.md). A blocking read of a file in the page
// cache takes microseconds; the compressors keep working meanwhile.
const SMALL_FILE = 1024 * 1024;

export async function packArchive(options: PackOptions): Promise<PackResult> {
  const partial = `${options.output}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const file = await open(partial, 'w');
  try {
    const sink = createBlockCompressor(options.format, async (pieces) => {
      for (const piece of pieces) {
        hash.update(piece);
        size += piece.length;
      }
      await writeAll(file, pieces);
    });
    await writeTar(options.entries, options.mtime, options.inputName ?? 'path', sink, options.onProgress);
    await file.close();
    await rename(partial, options.output);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  return {
    digest: formatDigest(hash.digest('hex')),
    size,
    files: options.entries.filter((entry) => entry.type === 'file').length,
  };
}

/**
 * Writes the tar bytes into the sink's blocks. Every file is read straight
 * into the block being filled: small ones with blocking calls, large ones
 * through the thread pool, so a slow disk never stalls the compressors'
 * completions for long and the bytes read never become garbage.
 */
async function writeTar(
  entries: readonly Entry[],
  mtime: number,
  inputName: string,
  sink: BlockSink,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  let block = await sink.block();
  let used = 0;
  const total = entries.reduce((sum, entry) => sum + (entry.type === 'file' ? entry.size : 0), 0);
  let done = 0;

  async function nextBlockIfFull(): Promise<void> {
    if (used < block.length) return;
    sink.submit(block, used);
    block = await sink.block();
    used = 0;
  }
  async function put(bytes: Buffer): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const n = bytes.copy(block, used, offset);
      used += n;
      offset += n;
      await nextBlockIfFull();
    }
  }

  /** Reads the file's bytes into the blocks, `read` filling at most `want` bytes at `block[used]`. */
  async function putFile(entry: Entry, read: (want: number, position: number) => Promise<number> | number) {
    let position = 0;
    while (position < entry.size) {
      const bytesRead = await read(Math.min(entry.size - position, block.length - used), position);
      if (bytesRead === 0) throw shrank(entry, inputName);
      used += bytesRead;
      position += bytesRead;
      onProgress?.(done + position, total);
      await nextBlockIfFull();
    }
    done += entry.size;
  }

  for (const entry of entries) {
    const suffix = entry.type === 'directory' ? '/' : '';
    await put(
      encodeHeader({
        path: entry.name + suffix,
        type: entry.type,
        mode: entry.mode,
        size: entry.type === 'file' ? entry.size : 0,
        mtime,
        ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
      }),
    );
    if (entry.type !== 'file') continue;
    if (entry.size <= SMALL_FILE) {
      let fd: number;
      try {
        fd = openSync(entry.source, 'r');
      } catch (error) {
        throw unreadable(entry, inputName, error);
      }
      try {
        await putFile(entry, (want, position) => readSync(fd, block, used, want, position));
      } finally {
        closeSync(fd);
      }
    } else {
      const handle = await open(entry.source, 'r').catch((error: unknown) => {
        throw unreadable(entry, inputName, error);
      });
      try {
        await putFile(entry, async (want, position) => (await handle.read(block, used, want, position)).bytesRead);
      } finally {
        await handle.close();
      }
    }
    await put(Buffer.alloc(padding(entry.size)));
  }
  await put(endOfArchive());
  if (used > 0) sink.submit(block, used);
  await sink.end();
}

function shrank(entry: Entry, inputName: string): ConfigurationError {
  return new ConfigurationError(
    `Input '${inputName}': '${entry.name}' shrank while it was being archived. Archive the build output after the build has finished writing it.`,
  );
}

/** Why `entry` could not be opened: a file the runner may not read is the user's to fix. */
function unreadable(entry: Entry, inputName: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') {
    return new ConfigurationError(
      `Input '${inputName}': cannot read '${entry.name}' (${code}). Make the build output readable by the runner's user, or exclude the file with a '!' line.`,
    );
  }
  return error;
}
