export { DigestMismatchError, UnsafeArchiveError } from './errors.ts';
export {
  type EntryKind,
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
  type SafeEntry,
  checkSymlinkTarget,
  classifyEntry,
  normaliseEntryName,
} from './entry-policy.ts';
export { type ExtractCounts, Extractor } from './extract.ts';
export { type ContentSink, type TarLimits, type TarStats, type TarVisitor, readTar } from './tar-reader.ts';
export { DEFAULT_LIMITS, type UnpackOptions, type UnpackResult, unpackArchive } from './unpack.ts';
