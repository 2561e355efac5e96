/**
 * The compressors a build archive may use. Both come from Node's own zlib, so
 * the bytes depend on the content and the Node release, not on what the
 * packing machine has installed.
 *
 * The tar stream is cut into fixed-size blocks and each block is compressed
 * on its own, as a complete gzip member or zstd frame, two at a time on the
 * libuv thread pool. Concatenated members and frames are one valid stream
 * for every gzip and zstd reader (RFC 1952 §2.2; zstd's frame format), so
 * `tar -xf` and our own reader see one archive. Because block boundaries
 * depend only on the byte count, the output is the same on a machine with
 * one core or sixty-four.
 */
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

export const FORMATS = ['tar.gz', 'tar.zst'] as const;
export type ArchiveFormat = (typeof FORMATS)[number];
/** Chosen from the figures in docs/performance.md. */
export const DEFAULT_FORMAT: ArchiveFormat = 'tar.zst';

export function isArchiveFormat(value: string): value is ArchiveFormat {
  return (FORMATS as readonly string[]).includes(value);
}

/** zstd entered Node's zlib in 22.15 and 23.8; older runtimes have only gzip. */
export function zstdAvailable(): boolean {
  return typeof zlib.createZstdCompress === 'function';
}

/** Packing or unpacking tar.zst on an older Node (brr runs on 20) says what it needs. */
function requireZstd(): void {
  if (!zstdAvailable()) {
    throw new Error(`A tar.zst archive needs zstd, in Node's zlib since Node 22.15; this is Node ${process.version}.`);
  }
}

/** The format an archive's file name says it has. */
export function formatOfFileName(fileName: string): ArchiveFormat | undefined {
  return FORMATS.find((format) => fileName.endsWith(`.${format}`));
}

// gzip's default level, and zstd's: what `gzip` and `zstd` do without flags.
const GZIP_LEVEL = 6;
const ZSTD_LEVEL = 3;
// Each member/frame holds this many bytes of tar. Large next to the
// compressors' windows (32 KiB for gzip, 2 MiB for zstd level 3), so cutting
// costs almost nothing in size.
export const COMPRESSION_BLOCK = 4 * 1024 * 1024;
const IN_FLIGHT = 2;
// Room for one block's output: even a block that does not compress at all
// (zstd and deflate add well under 64 KiB to 4 MiB of input) fits, so each
// block's output lands in one reused buffer.
const OUTPUT_ROOM = COMPRESSION_BLOCK + 64 * 1024;
// The gzip header's OS byte (RFC 1952): zlib would write the packing
// machine's OS there. 255 means "unknown" and is the same everywhere.
const GZIP_OS_UNKNOWN = 255;

/**
 * Compresses one block into `output` (a reused buffer of OUTPUT_ROOM bytes);
 * the result is the pieces of its output, in order, views of `output` that
 * stay valid until `output` is handed to the next block.
 */
type BlockCompressor = (block: Buffer, output: Buffer) => Promise<Buffer[]>;

/**
 * gzip: one member per block. The deflate stream is long-lived and reset
 * between blocks, so each member stands alone without a new context per
 * block. A member is our own 10-byte header (no name, zero time, OS 255),
 * the block's raw deflate data ended by a sync flush and an empty final
 * block, then the CRC-32 and length of the block (RFC 1951, RFC 1952).
 */
function gzipBlocks(): BlockCompressor {
  const stream = zlib.createDeflateRaw({ level: GZIP_LEVEL, chunkSize: OUTPUT_ROOM });
  const compressed = serialFlusher(stream, zlib.constants.Z_SYNC_FLUSH, () => stream.reset());
  return async (block, output) => {
    const deflated = await compressed(block, output);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(zlib.crc32(block), 0);
    trailer.writeUInt32LE(block.length % 2 ** 32, 4);
    return [GZIP_HEADER, ...deflated, EMPTY_FINAL_BLOCK, trailer];
  };
}

// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 (zlib's value for level 6) OS=255.
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, GZIP_OS_UNKNOWN]);
// After a sync flush the data ends on a byte boundary; a fixed-Huffman block
// with BFINAL set and only the end-of-block code closes the stream.
const EMPTY_FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * Compresses blocks one after another through one long-lived zlib stream:
 * `prepare`, write the block, flush with `kind`, and collect what came out.
 *
 * A zlib stream writes its output into a buffer of `chunkSize` bytes and
 * allocates a new one each time one fills; at 1 GB that is hundreds of MB of
 * garbage, and when the collector comes for it decides the peak RSS. So before
 * each block the stream is pointed at the caller's reused `output` (the
 * stream's own `_outBuffer` and `_outOffset`, which it reads on every write
 * and replaces only when full). The stream is idle at that moment: blocks go
 * through it one at a time. Should a Node release name these fields
 * differently, the stream keeps allocating its own buffers and the output is
 * the same.
 */
function serialFlusher(stream: zlib.Zlib & Transform, kind: number, prepare?: () => void): BlockCompressor {
  const target = stream as unknown as { _outBuffer?: unknown; _outOffset?: unknown };
  const redirectable = Buffer.isBuffer(target._outBuffer) && typeof target._outOffset === 'number';
  let pieces: Buffer[] = [];
  let failure: Error | undefined;
  stream.on('data', (piece: Buffer) => pieces.push(piece));
  stream.on('error', (error: Error) => (failure = error));
  let previous: Promise<unknown> = Promise.resolve();
  return (block, output) => {
    const result = previous.then(
      () =>
        new Promise<Buffer[]>((resolve, reject) => {
          prepare?.();
          if (redirectable) {
            target._outBuffer = output;
            target._outOffset = 0;
          }
          stream.write(block);
          stream.flush(kind, () => {
            if (failure !== undefined) return reject(failure);
            const done = pieces;
            pieces = [];
            resolve(done);
          });
        }),
    );
    previous = result.catch(() => undefined);
    return result;
  };
}

/**
 * zstd: one frame per block from a long-lived stream. Flushing with
 * ZSTD_e_end closes the frame and the next write opens a new one, so the
 * context (several MB) is made once instead of once per block.
 */
function zstdBlocks(): BlockCompressor {
  requireZstd();
  const stream = zlib.createZstdCompress({
    chunkSize: OUTPUT_ROOM,
    params: {
      [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL,
      [zlib.constants.ZSTD_c_checksumFlag]: 1,
    },
  });
  return serialFlusher(stream, zlib.constants.ZSTD_e_end);
}

/**
 * Where the tar writer puts its bytes: it asks for an empty block, fills it,
 * and submits it. Blocks are compressed IN_FLIGHT at a time and their output
 * handed to `write` in order. Each block has its own output buffer, and both
 * return to the pool once the output is written, so the pool (IN_FLIGHT + 1
 * pairs) bounds the memory, nothing becomes garbage, and a slow disk or
 * compressor slows the tar writer instead of queueing bytes.
 */
export interface BlockSink {
  /** An empty block of COMPRESSION_BLOCK bytes; waits while all are busy. */
  block(): Promise<Buffer>;
  /** Compresses the first `length` bytes of `block`. */
  submit(block: Buffer, length: number): void;
  /** Waits until every submitted block is written; rejects on the first failure. */
  end(): Promise<void>;
}

export function createBlockCompressor(format: ArchiveFormat, write: (pieces: Buffer[]) => Promise<void>): BlockSink {
  const workers = Array.from({ length: IN_FLIGHT }, () => (format === 'tar.gz' ? gzipBlocks() : zstdBlocks()));
  const free: Buffer[] = [];
  // Each block's output buffer, made with it and reused with it.
  const outputs = new Map<Buffer, Buffer>();
  const waiting: Array<{ resolve: (block: Buffer) => void; reject: (error: unknown) => void }> = [];
  let made = 0;
  let submitted = 0;
  let written: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;

  function release(block: Buffer): void {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(block);
    else free.push(block);
  }

  return {
    block() {
      if (failure) return Promise.reject(failure.error);
      const block = free.pop();
      if (block) return Promise.resolve(block);
      if (made < IN_FLIGHT + 1) {
        made += 1;
        const block = Buffer.allocUnsafe(COMPRESSION_BLOCK);
        outputs.set(block, Buffer.allocUnsafe(OUTPUT_ROOM));
        return Promise.resolve(block);
      }
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    submit(block, length) {
      const compress = workers[submitted % workers.length] as BlockCompressor;
      submitted += 1;
      const output = outputs.get(block);
      if (output === undefined) throw new Error('submit() takes a block from block()');
      const compressed = compress(block.subarray(0, length), output);
      compressed.catch(() => undefined); // consumed in order just below
      written = written
        .then(() => compressed)
        .then(write)
        .then(() => release(block));
      written.catch((error: unknown) => {
        failure ??= { error };
        for (const waiter of waiting.splice(0)) waiter.reject(error);
      });
    },
    end() {
      return written;
    },
  };
}

export function createDecompressor(format: ArchiveFormat): Transform {
  // zlib makes a new output buffer each time one fills. The unpacker frees
  // each filled one once read (releasedAfterUse); a partly filled one is left
  // to the collector, and smaller ones are less of that (verify + unpack of
  // 1 GB before the release: about 130 MB peak at 128 KiB against 145 MB at
  // 256 KiB; 64 KiB saved little more and cost wall time in writes).
  // docs/performance.md has the runs.
  const chunkSize = 128 * 1024;
  if (format === 'tar.gz') return zlib.createGunzip({ chunkSize });
  requireZstd();
  return zlib.createZstdDecompress({ chunkSize });
}
