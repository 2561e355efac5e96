/**
 * What an archive entry may be, decided from its header alone: the pure half
 * of safe extraction (the other half, in extract.ts, checks the disk).
 */
import { UnsafeArchiveError } from './errors.ts';
import type { RawHeader } from './tar-fields.ts';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink';

export interface SafeEntry {
  /** '/'-separated path below the target folder: no '.', '..' or empty segments, never absolute. */
  name: string;
  kind: EntryKind;
  /** Permission bits only: setuid, setgid and sticky are always cleared. */
  mode: number;
  /** Bytes of content that follow the header (files only; 0 otherwise). */
  size: number;
  /** Symlink target as written, or the hard link's target entry name (normalised). */
  linkname?: string;
}

// Linux limits (PATH_MAX, NAME_MAX): a longer name cannot be created anyway,
// so it is refused up front with a clear message instead of ENAMETOOLONG.
export const MAX_PATH_BYTES = 4095;
export const MAX_SEGMENT_BYTES = 255;

const KIND_OF_TYPEFLAG: Record<string, EntryKind> = {
  '0': 'file',
  '7': 'file', // "contiguous file": an ordinary file everywhere that matters
  '5': 'directory',
  '2': 'symlink',
  '1': 'hardlink',
};

const REFUSED_TYPEFLAG: Record<string, string> = {
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
  S: 'a GNU sparse file',
  V: 'a GNU volume header',
  M: 'a GNU multi-volume continuation',
  D: 'a GNU dump directory',
};

/** Turns a decoded header into an entry we will create, or refuses it. Returns undefined for the root itself ('./'). */
export function classifyEntry(header: RawHeader): SafeEntry | undefined {
  const kind = KIND_OF_TYPEFLAG[header.typeflag];
  if (kind === undefined) {
    const what = REFUSED_TYPEFLAG[header.typeflag] ?? `an unknown entry type '${header.typeflag}'`;
    throw new UnsafeArchiveError(
      `'${printable(header.name)}' is ${what}; a build may hold only files, folders and links`,
    );
  }
  const name = normaliseEntryName(header.name);
  if (name === '') {
    if (kind === 'directory') return undefined;
    throw new UnsafeArchiveError(`an entry of type ${kind} has an empty name`);
  }
  const entry: SafeEntry = {
    name,
    kind,
    mode: header.mode & 0o777,
    size: kind === 'file' ? header.size : 0,
  };
  if (kind === 'symlink') entry.linkname = checkSymlinkTarget(name, header.linkname);
  if (kind === 'hardlink') {
    const target = normaliseEntryName(header.linkname);
    if (target === '') throw new UnsafeArchiveError(`the hard link '${printable(name)}' has an empty target`);
    entry.linkname = target;
  }
  return entry;
}

/**
 * Canonical form of an entry name. Leading './' and repeated or trailing '/'
 * are harmless and dropped; an absolute path, a '..' segment, a NUL or an
 * over-long name is refused.
 */
export function normaliseEntryName(raw: string): string {
  if (raw.includes('\u0000')) throw new UnsafeArchiveError(`'${printable(raw)}' contains a NUL byte`);
  if (raw.startsWith('/')) throw new UnsafeArchiveError(`'${printable(raw)}' is an absolute path`);
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new UnsafeArchiveError(`'${printable(raw)}' has a '..' segment`);
  const name = segments.join('/');
  if (Buffer.byteLength(name) > MAX_PATH_BYTES) {
    throw new UnsafeArchiveError(`a name of ${Buffer.byteLength(name)} bytes is longer than ${MAX_PATH_BYTES}`);
  }
  for (const segment of segments) {
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
      throw new UnsafeArchiveError(
        `'${printable(segment)}' in '${printable(name)}' is longer than ${MAX_SEGMENT_BYTES} bytes`,
      );
    }
  }
  return name;
}

/**
 * A symlink may point only inside the folder, and must do so in a way that
 * stays true whatever other links exist: its target is some '..' segments
 * (never more than the link's own depth), then plain names. A '..' after a
 * name is refused, because the name may itself be a link ('a/..' is not
 * always '.'), which is how chains of individually harmless links escape.
 */
export function checkSymlinkTarget(name: string, target: string): string {
  const refuse = (why: string): never => {
    throw new UnsafeArchiveError(`the symlink '${printable(name)}' -> '${printable(target)}' ${why}`);
  };
  if (target === '') refuse('has an empty target');
  if (target.includes('\u0000')) refuse('has a NUL byte in its target');
  if (target.startsWith('/')) refuse('points to an absolute path, outside the folder');
  if (Buffer.byteLength(target) > MAX_PATH_BYTES) refuse('has an over-long target');
  const depth = name.split('/').length - 1;
  let ups = 0;
  let seenName = false;
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (seenName) refuse("has '..' after a name, which may resolve through another link");
      ups += 1;
      if (ups > depth) refuse('points outside the folder');
    } else {
      seenName = true;
    }
  }
  return target;
}

/** Names come from the archive: keep control characters out of log lines. */
export function printable(value: string): string {
  let clean = '';
  for (const char of value) clean += char < ' ' || char === '\u007f' ? '?' : char;
  return clean.length > 200 ? `${clean.slice(0, 100)}…${clean.slice(-60)}` : clean;
}
