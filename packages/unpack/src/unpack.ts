/**
 * One streaming pass over a compressed archive file: sha256 of the bytes as
 * they are read, decompression, and safe extraction. The digest is compared
 * at the end; on any failure the target folder is emptied again, so a caller
 * never sees half an archive or an unverified one.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ArchiveFormat, createDecompressor } from '@build-release-run/archive';
import { ConfigurationError, type Digest, formatDigest } from '@build-release-run/contract';
import { DigestMismatchError } from './errors.ts';
import { type ExtractCounts, Extractor } from './extract.ts';
import { type TarLimits, readTar } from './tar-reader.ts';

export const DEFAULT_LIMITS: TarLimits = {
  maxEntries: 1_000_000,
  // A hosted runner has about 14 GB of free disk; a build that expands past 16 GiB cannot be deployed there anyway.
  maxBytes: 16 * 1024 ** 3,
};

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
  const limits: TarLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const { root, created } = await prepareDirectory(options.directory, options.inputName ?? 'directory');
  const extractor = new Extractor(root);
  const hash = createHash('sha256');
  const { onProgress } = options;
  const total = onProgress ? (await stat(options.archive)).size : 0;
  let read = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      read += chunk.length;
      onProgress?.(read, total);
      callback(null, chunk);
    },
  });
  try {
    let entries = 0;
    let expandedBytes = 0;
    await pipeline(
      createReadStream(options.archive, { highWaterMark: READ_CHUNK }),
      hashing,
      createDecompressor(options.format),
      async (source: AsyncIterable<Buffer>) => {
        ({ entries, bytes: expandedBytes } = await readTar(source, extractor, limits));
      },
    );
    const digest = formatDigest(hash.digest('hex'));
    if (options.expectedDigest !== undefined && digest !== options.expectedDigest) {
      throw new DigestMismatchError(
        `the archive's sha256 is ${digest}, but the release says ${options.expectedDigest}: its bytes changed after it was released`,
      );
    }
    return { digest, directory: root, entries, expandedBytes, ...extractor.counts };
  } catch (error) {
    await extractor.abort();
    await clear(root, created);
    throw error;
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
