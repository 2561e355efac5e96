export { type Entry, collectEntries, compareBytes, walk } from './entries.ts';
export {
  type ArchiveFormat,
  DEFAULT_FORMAT,
  FORMATS,
  COMPRESSION_BLOCK,
  type BlockSink,
  createBlockCompressor,
  createDecompressor,
  formatOfFileName,
  isArchiveFormat,
  zstdAvailable,
} from './compression.ts';
export {
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
  type NameCheck,
  checkEntryName,
  checkSymlinkTarget,
  printable,
} from './entry-policy.ts';
export { archiveMtime } from './mtime.ts';
export { type PackOptions, type PackResult, packArchive } from './pack.ts';
export { encodeHeader, encodePaxRecords, type EntryType, type HeaderFields } from './tar-header.ts';
