/**
 * One streaming pass over a compressed archive file: sha256 of the bytes as
 * they are read, decompression, and safe extraction. The digest is compared
 * at the end; on any failure the target folder is emptied again, so a caller
 * never sees half an archive or an unverified one.
 */
import { type Hash, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ArchiveFormat, createDecompressor } from '@build-release-run/archive';
import { ConfigurationError, type Digest, formatDigest, releasedAfterUse } from '@build-release-run/contract';
import { CorruptArchiveError, DigestMismatchError, UnpackError, UnpackFileSystemError } from './errors.ts';
import { type ExtractCounts, Extractor } from './extract.ts';
import { fileSystemError } from './file-system-errors.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { type TarLimits, readTar } from './tar-reader.ts';

export interface UnpackOptions {
  /** The compressed archive on disk. */
  archive: string;
  format: ArchiveFormat;
  /** Created if missing; must be empty otherwise. */
  directory: string;
  /** When given, the archive's sha256 must equal it or the unpacked files are removed. */
  expectedDigest?: Digest;
  limits?: Partial<TarLimits>;
  /** The user-facing input that named `directory`, for errors. */
  inputName?: string;
  /** Told the archive bytes read so far, of the archive file's size. */
  onProgress?: (done: number, total: number) => void;
}

export interface UnpackResult extends ExtractCounts {
  /** sha256 of the compressed bytes read. */
  digest: Digest;
  /** The real path of the folder the archive was unpacked into. */
  directory: string;
  entries: number;
  /** Bytes of the decompressed tar stream. */
  expandedBytes: number;
}

// Large reads keep the per-chunk overhead of hashing and decompression low.
const READ_CHUNK = 1024 * 1024;

export async function unpackArchive(options: UnpackOptions): Promise<UnpackResult> {
  refuseUnsupportedPlatform();
  const limits: TarLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const { root, created } = await prepareDirectory(options.directory, options.inputName ?? 'directory').catch(
    (error: unknown) => {
      throw fileSystemError(error, path.resolve(options.directory), '.');
    },
  );
  const extractor = new Extractor(root);
  const hash = createHash('sha256');
  const { onProgress } = options;
  const total = onProgress ? (await stat(options.archive)).size : 0;
  let hashedBytes = 0;
  const decompressor = createDecompressor(options.format);
  // Which stage failed first: pipeline passes its error on to the others.
  let failedStage: { stage: 'read' | 'decompress'; error: Error } | undefined;
  decompressor.once('error', (error: Error) => (failedStage ??= { stage: 'decompress', error }));
  const feeding = feedDecompressor(options.archive, decompressor, (chunk) => {
    hash.update(chunk);
    hashedBytes += chunk.length;
    onProgress?.(hashedBytes, total);
  }).catch((error: unknown) => {
    if (error instanceof ReadError) failedStage ??= { stage: 'read', error: error.cause };
    decompressor.destroy(error as Error);
    throw failedStage?.error ?? error;
  });
  try {
    let entries = 0;
    let expandedBytes = 0;
    try {
      await Promise.all([
        feeding,
        pipeline(decompressor, async (source: AsyncIterable<Buffer>) => {
          // readTar awaits its writes and copies the headers it keeps: each
          // output buffer is done with when it asks for the next.
          ({ entries, bytes: expandedBytes } = await readTar(releasedAfterUse(source), extractor, limits));
        }),
      ]);
    } catch (error) {
      // A damaged archive is most often a changed one: when the bytes are also
      // not the released bytes, that is what the user is told.
      if (options.expectedDigest !== undefined) {
        const digest = await finishDigest(options.archive, hash, hashedBytes);
        if (digest !== undefined && digest !== options.expectedDigest) throw mismatch(digest, options.expectedDigest);
      }
      throw unpackFailure(error, failedStage, options);
    }
    const digest = formatDigest(hash.digest('hex'));
    if (options.expectedDigest !== undefined && digest !== options.expectedDigest) {
      throw mismatch(digest, options.expectedDigest);
    }
    return { digest, directory: root, entries, expandedBytes, ...extractor.counts };
  } catch (error) {
    await extractor.abort();
    await clear(root, created);
    throw error;
  }
}

function mismatch(digest: Digest, expected: Digest): DigestMismatchError {
  return new DigestMismatchError(
    `the archive's sha256 is ${digest}, but the release says ${expected}: its bytes changed after it was released`,
  );
}

/** A failure to read the archive file itself (not to decompress what was read). */
class ReadError extends Error {
  override readonly cause: Error;
  constructor(cause: Error) {
    super(cause.message);
    this.cause = cause;
  }
}

/**
 * Reads the archive into two buffers used in turn and writes each chunk to
 * the decompressor, hashing it first. A buffer is read into again only once
 * the decompressor has finished with what it held (the write's callback), so
 * a gigabyte passes through 2 MiB of reads instead of a thousand new ones.
 */
async function feedDecompressor(file: string, decompressor: Writable, onChunk: (chunk: Buffer) => void): Promise<void> {
  const handle = await open(file).catch((error: Error) => {
    throw new ReadError(error);
  });
  const buffers: [Buffer, Buffer] = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)];
  const written: [Promise<void>, Promise<void>] = [Promise.resolve(), Promise.resolve()];
  try {
    for (let turn: 0 | 1 = 0; ; turn = turn === 0 ? 1 : 0) {
      await written[turn];
      const buffer = buffers[turn];
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, null).catch((error: Error) => {
        throw new ReadError(error);
      });
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      onChunk(chunk);
      written[turn] = new Promise<void>((resolve, reject) => {
        decompressor.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
      // Awaited before the buffer is reused; a failure here also surfaces on the decompressor.
      written[turn].catch(() => undefined);
    }
    await Promise.all(written);
    decompressor.end();
  } finally {
    await handle.close();
  }
}

/** The project's error for a failed pass: a decompressor's error means corrupt data, a read error names the file. */
function unpackFailure(
  error: unknown,
  failed: { stage: 'read' | 'decompress'; error: Error } | undefined,
  options: UnpackOptions,
): unknown {
  if (error instanceof UnpackError || failed === undefined || error !== failed.error) return error;
  if (failed.stage === 'decompress') {
    const codec = options.format === 'tar.gz' ? 'gzip' : 'zstd';
    return new CorruptArchiveError(`the archive is corrupt: its ${codec} data is invalid (${failed.error.message})`);
  }
  const code = (failed.error as NodeJS.ErrnoException).code ?? 'EIO';
  return new UnpackFileSystemError(
    `Could not read the archive '${options.archive}' (${code}): ${failed.error.message}`,
    code,
  );
}

/** sha256 of the whole file, continuing from the `done` bytes already hashed; undefined if it cannot be read. */
async function finishDigest(file: string, hash: Hash, done: number): Promise<Digest | undefined> {
  try {
    for await (const chunk of createReadStream(file, { start: done, highWaterMark: READ_CHUNK })) {
      hash.update(chunk as Buffer);
    }
    return formatDigest(hash.digest('hex'));
  } catch {
    return undefined;
  }
}

/**
 * Deploy runs on Linux and macOS runners only. Windows resolves names the
 * entry policy cannot vouch for on a real disk (8.3 short names, case
 * folding, reparse points); refusing to start there is simpler and safer
 * than a second set of rules that no test runs.
 */
export function refuseUnsupportedPlatform(platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') {
    throw new ConfigurationError(
      "build-release-run's deploy does not run on Windows runners: it unpacks and runs builds on Linux and macOS only. " +
        "Run the deploy job on 'runs-on: ubuntu-latest' (or a Linux or macOS self-hosted runner).",
    );
  }
}

/** The real path of an empty folder to unpack into, and whether it was created here. */
async function prepareDirectory(directory: string, inputName: string): Promise<{ root: string; created: boolean }> {
  const absolute = path.resolve(directory);
  const existing = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing === undefined) {
    await mkdir(absolute, { recursive: true });
    return { root: await realpath(absolute), created: true };
  }
  if (!existing.isDirectory()) {
    throw new ConfigurationError(
      `Input '${inputName}': '${directory}' exists and is not a folder. Name a new or empty folder to unpack the release into.`,
    );
  }
  if ((await readdir(absolute)).length > 0) {
    throw new ConfigurationError(
      `Input '${inputName}': '${directory}' is not empty. Name a new or empty folder: a release is unpacked only into an empty one, so no stale file is mistaken for part of it.`,
    );
  }
  return { root: await realpath(absolute), created: false };
}

async function clear(root: string, created: boolean): Promise<void> {
  if (created) {
    await rm(root, { recursive: true, force: true });
    return;
  }
  for (const name of await readdir(root)) await rm(path.join(root, name), { recursive: true, force: true });
}
