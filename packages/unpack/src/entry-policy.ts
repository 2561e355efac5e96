/**
 * What an archive entry may be, decided from its header alone: the pure half
 * of safe extraction (the other half, in extract.ts, checks the disk).
 */
import { checkEntryName, checkSymlinkTarget as checkLinkTarget, printable } from '@build-release-run/archive';

export { printable };
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

/** The canonical form of an entry name (the shared rule of pack and unpack), or an UnsafeArchiveError. */
export function normaliseEntryName(raw: string): string {
  const checked = checkEntryName(raw);
  if (!checked.ok) throw new UnsafeArchiveError(checked.reason);
  return checked.name;
}

/** The symlink's target if the shared rule allows it, or an UnsafeArchiveError. */
export function checkSymlinkTarget(name: string, target: string): string {
  const checked = checkLinkTarget(name, target);
  if (!checked.ok) throw new UnsafeArchiveError(checked.reason);
  return checked.name;
}
