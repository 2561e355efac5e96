/**
 * Writes the archive: tar → compressor → sha256 → file, in one streaming
 * pass. The digest is taken from the bytes as they go to disk; the archive is
 * never read back. Memory stays bounded by the chunk size whatever the build.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfigurationError, type Digest, formatDigest } from '@build-release-run/contract';
import { type ArchiveFormat, compressionStages } from './compression.ts';
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
}

export interface PackResult {
  digest: Digest;
  /** Bytes of the archive file. */
  size: number;
  /** Regular files in the archive. */
  files: number;
}

// Big enough that most source files go in one read, small enough to be noise
// next to a runner's memory.
const CHUNK = 1024 * 1024;

export async function packArchive(options: PackOptions): Promise<PackResult> {
  const partial = `${options.output}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline([
      Readable.from(tarStream(options.entries, options.mtime, options.inputName ?? 'path'), { objectMode: false }),
      ...compressionStages(options.format),
      measure,
      createWriteStream(partial),
    ]);
    await rename(partial, options.output);
  } catch (error) {
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
 * The tar bytes, in chunks of about CHUNK. File contents are read straight
 * into the chunk being filled, so each byte is copied once on its way out.
 */
async function* tarStream(entries: readonly Entry[], mtime: number, inputName: string): AsyncGenerator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK);
  let used = 0;

  function* put(bytes: Buffer): Generator<Buffer> {
    let offset = 0;
    while (offset < bytes.length) {
      const n = bytes.copy(chunk, used, offset);
      used += n;
      offset += n;
      if (used === chunk.length) yield* flush();
    }
  }
  function* flush(): Generator<Buffer> {
    if (used === 0) return;
    yield chunk.subarray(0, used);
    chunk = Buffer.allocUnsafe(CHUNK);
    used = 0;
  }

  for (const entry of entries) {
    const suffix = entry.type === 'directory' ? '/' : '';
    const header = encodeHeader({
      path: entry.name + suffix,
      type: entry.type,
      mode: entry.mode,
      size: entry.type === 'file' ? entry.size : 0,
      mtime,
      ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
    });
    yield* put(header);
    if (entry.type !== 'file') continue;

    const handle = await openForReading(entry, inputName);
    try {
      let remaining = entry.size;
      let position = 0;
      while (remaining > 0) {
        if (used === chunk.length) yield* flush();
        const want = Math.min(remaining, chunk.length - used);
        const { bytesRead } = await handle.read(chunk, used, want, position);
        if (bytesRead === 0) {
          throw new ConfigurationError(
            `Input '${inputName}': '${entry.name}' shrank while it was being archived. Archive the build output after the build has finished writing it.`,
          );
        }
        used += bytesRead;
        position += bytesRead;
        remaining -= bytesRead;
      }
    } finally {
      await handle.close();
    }
    yield* put(Buffer.alloc(padding(entry.size)));
  }
  yield* put(endOfArchive());
  yield* flush();
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
