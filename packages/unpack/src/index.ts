export {
  CorruptArchiveError,
  DigestMismatchError,
  UnpackError,
  UnpackFileSystemError,
  UnsafeArchiveError,
} from './errors.ts';
export {
  type EntryKind,
  type SafeEntry,
  checkSymlinkTarget,
  classifyEntry,
  normaliseEntryName,
  printable,
} from './entry-policy.ts';
export { type ExtractCounts, Extractor } from './extract.ts';
export { type ContentSink, type TarLimits, type TarStats, type TarVisitor, readTar } from './tar-reader.ts';
export { DEFAULT_LIMITS, parseEntryLimit, parseSizeLimit } from './limits.ts';
export { checkFreeSpace, type FreeSpaceNeed, spaceProblem } from './disk-space.ts';
export { type UnpackOptions, type UnpackResult, refuseUnsupportedPlatform, unpackArchive } from './unpack.ts';
