/**
 * Writes the archive: tar → compressor → sha256 → file, in one streaming
 * pass. The digest is taken from the bytes as they go to disk; the archive is
 * never read back. Memory stays bounded by the chunk size whatever the build.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { ConfigurationError, type Digest, formatDigest } from '@build-release-run/contract';
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

// Files up to this size are read whole, READ_AHEAD of them at a time, into
// slabs of this size: at most 8 MiB.
const SMALL_FILE = 1024 * 1024;
const READ_AHEAD = 8;

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
 * Writes the tar bytes into the sink's blocks. Small files are read ahead, a
 * few at a time, into slabs from a fixed pool, so the disk is busy while the
 * compressors work and the bytes read never become garbage; large files are
 * read straight into the block being filled.
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

  const slabs: Buffer[] = [];
  const ahead = new Map<number, { slab: Buffer; content: Promise<Buffer> }>();
  let scheduled = 0;
  function readAhead(from: number): void {
    scheduled = Math.max(scheduled, from);
    while (scheduled < entries.length && ahead.size < READ_AHEAD) {
      const entry = entries[scheduled] as Entry;
      if (entry.type === 'file' && entry.size <= SMALL_FILE) {
        const slab = slabs.pop() ?? Buffer.allocUnsafe(SMALL_FILE);
        const content = readSmallFile(entry, slab, inputName);
        // Awaited in order below; this only keeps an early failure from
        // being reported as unhandled before its turn comes.
        content.catch(() => undefined);
        ahead.set(scheduled, { slab, content });
      }
      scheduled += 1;
    }
  }

  async function putLargeFile(entry: Entry): Promise<void> {
    const handle = await openForReading(entry, inputName);
    try {
      let remaining = entry.size;
      let position = 0;
      while (remaining > 0) {
        const want = Math.min(remaining, block.length - used);
        const { bytesRead } = await handle.read(block, used, want, position);
        if (bytesRead === 0) throw shrank(entry, inputName);
        used += bytesRead;
        position += bytesRead;
        remaining -= bytesRead;
        done += bytesRead;
        onProgress?.(done, total);
        await nextBlockIfFull();
      }
    } finally {
      await handle.close();
    }
  }

  try {
    for (let index = 0; index < entries.length; index++) {
      readAhead(index);
      const entry = entries[index] as Entry;
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
      const prefetched = ahead.get(index);
      if (prefetched !== undefined) {
        ahead.delete(index);
        await put(await prefetched.content);
        slabs.push(prefetched.slab);
        done += entry.size;
        onProgress?.(done, total);
      } else {
        await putLargeFile(entry);
      }
      await put(Buffer.alloc(padding(entry.size)));
    }
    await put(endOfArchive());
    if (used > 0) sink.submit(block, used);
  } finally {
    // Reads still in flight after a failure must finish before their files
    // and the partial archive are cleaned up.
    await Promise.allSettled([...ahead.values()].map((read) => read.content));
  }
  await sink.end();
}

/** Writes every byte of `pieces`, in order, in as few calls as the kernel allows. */
async function writeAll(file: FileHandle, pieces: Buffer[]): Promise<void> {
  let pending = pieces.filter((piece) => piece.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await file.writev(pending);
    while (pending.length > 0 && bytesWritten >= (pending[0] as Buffer).length) {
      bytesWritten -= (pending[0] as Buffer).length;
      pending = pending.slice(1);
    }
    if (bytesWritten > 0) pending[0] = (pending[0] as Buffer).subarray(bytesWritten);
  }
}

async function readSmallFile(entry: Entry, slab: Buffer, inputName: string): Promise<Buffer> {
  const handle = await openForReading(entry, inputName);
  try {
    const content = slab.subarray(0, entry.size);
    let filled = 0;
    while (filled < entry.size) {
      const { bytesRead } = await handle.read(content, filled, entry.size - filled, filled);
      if (bytesRead === 0) throw shrank(entry, inputName);
      filled += bytesRead;
    }
    return content;
  } finally {
    await handle.close();
  }
}

function shrank(entry: Entry, inputName: string): ConfigurationError {
  return new ConfigurationError(
    `Input '${inputName}': '${entry.name}' shrank while it was being archived. Archive the build output after the build has finished writing it.`,
  );
}

async function openForReading(entry: Entry, inputName: string) {
  try {
    return await open(entry.source, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') {
      throw new ConfigurationError(
        `Input '${inputName}': cannot read '${entry.name}' (${code}). Make the build output readable by the runner's user, or exclude the file with a '!' line.`,
      );
    }
    throw error;
  }
}
