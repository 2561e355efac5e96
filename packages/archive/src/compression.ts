/**
 * The compressors a build archive may use. Both come from Node's own zlib, so
 * the bytes depend on the content and the Node release, not on what the
 * packing machine has installed.
 */
import zlib from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';

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

/** The format an archive's file name says it has. */
export function formatOfFileName(fileName: string): ArchiveFormat | undefined {
  return FORMATS.find((format) => fileName.endsWith(`.${format}`));
}

// gzip's default level, and zstd's: what `gzip` and `zstd` do without flags.
const GZIP_LEVEL = 6;
const ZSTD_LEVEL = 3;
// The gzip header's OS byte (RFC 1952): zlib writes the packing machine's OS
// there. 255 means "unknown" and is the same everywhere.
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNKNOWN = 255;

const CHUNK = 256 * 1024;

/** The stages a tar stream goes through to become the archive's bytes. */
export function compressionStages(format: ArchiveFormat): Transform[] {
  if (format === 'tar.gz') {
    // zlib's own gzip header already has no file name and a zero time.
    return [zlib.createGzip({ level: GZIP_LEVEL, chunkSize: CHUNK }), fixGzipOsByte()];
  }
  const zstd = zlib.createZstdCompress({
    chunkSize: CHUNK,
    params: {
      [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL,
      [zlib.constants.ZSTD_c_checksumFlag]: 1,
    },
  });
  return [zstd];
}

export function createDecompressor(format: ArchiveFormat): Transform {
  return format === 'tar.gz'
    ? zlib.createGunzip({ chunkSize: CHUNK })
    : zlib.createZstdDecompress({ chunkSize: CHUNK });
}

function fixGzipOsByte(): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (seen <= GZIP_OS_OFFSET && seen + chunk.length > GZIP_OS_OFFSET) {
        chunk[GZIP_OS_OFFSET - seen] = GZIP_OS_UNKNOWN;
      }
      seen += chunk.length;
      callback(null, chunk);
    },
  });
}
