/**
 * The one rule for what an archive entry may be called and where a link in it
 * may point. The packer (entries.ts) refuses at build time exactly what the
 * unpacker (@build-release-run/unpack) refuses at deploy time, so a build
 * that packs is a build that deploys. Pure: each side wraps the reason in its
 * own error.
 *
 * Names are checked the same on every platform, so an archive unpacks the
 * same everywhere: besides '/'-paths climbing out ('..', absolute), the
 * Windows spellings of a path that leaves the folder or lands somewhere else
 * ('\' separators, drive letters and other ':' forms, device names, trailing
 * dots and spaces that Windows strips) are refused too.
 */

// Linux limits (PATH_MAX counts the final NUL, NAME_MAX): a longer name cannot
// be created anyway, so it is refused up front with a clear message.
export const MAX_PATH_BYTES = 4095;
export const MAX_SEGMENT_BYTES = 255;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

// Win32 device names, reserved in every folder and with any extension
// ('nul.txt' opens the NUL device on many Windows versions). The superscript
// digits are accepted by Windows as COM/LPT numbers as well.
const RESERVED_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * The canonical form of an entry name, or why it is refused. Leading './' and
 * repeated or trailing '/' are harmless and dropped; the result is
 * '/'-separated with no '.', '..' or empty segment, never absolute, and may be
 * '' (the root itself).
 */
export function checkEntryName(raw: string): NameCheck {
  const shown = printable(raw);
  const character = forbiddenCharacter(raw);
  if (character !== undefined) return refuse(`'${shown}' contains ${character}`);
  if (raw.startsWith('/')) return refuse(`'${shown}' is an absolute path`);
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return refuse(`'${shown}' has a '..' segment`);
  const name = segments.join('/');
  if (Buffer.byteLength(name) > MAX_PATH_BYTES) {
    return refuse(`'${shown}' is ${Buffer.byteLength(name)} bytes long, longer than ${MAX_PATH_BYTES}`);
  }
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem !== undefined) return refuse(`'${printable(segment)}' in '${shown}' ${problem}`);
  }
  return { ok: true, name };
}

/**
 * Whether the symlink `name` (already a checked entry name) may point to
 * `target`. A link may point only inside the folder, and must do so in a way
 * that stays true whatever other links exist: its target is some '..'
 * segments (never more than the link's own depth), then plain names. A '..'
 * after a name is refused, because the name may itself be a link ('a/..' is
 * not always '.'), which is how chains of individually harmless links escape.
 */
export function checkSymlinkTarget(name: string, target: string): NameCheck {
  const why = (reason: string): NameCheck =>
    refuse(`the symlink '${printable(name)}' -> '${printable(target)}' ${reason}`);
  if (target === '') return why('has an empty target');
  const character = forbiddenCharacter(target);
  if (character !== undefined) return why(`has ${character} in its target`);
  if (target.startsWith('/')) return why('points to an absolute path, outside the folder');
  if (Buffer.byteLength(target) > MAX_PATH_BYTES) return why(`has a target longer than ${MAX_PATH_BYTES} bytes`);
  const depth = name.split('/').length - 1;
  let ups = 0;
  let seenName = false;
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (seenName) return why("has '..' after a name, which may resolve through another link");
      ups += 1;
      if (ups > depth) return why('points outside the folder');
      continue;
    }
    seenName = true;
    const problem = segmentProblem(segment);
    if (problem !== undefined) return why(`names '${printable(segment)}', which ${problem}`);
  }
  return { ok: true, name: target };
}

/** The first character no name may hold, described; undefined when there is none. */
function forbiddenCharacter(value: string): string | undefined {
  for (const char of value) {
    if (char === '\u0000') return 'a NUL byte';
    if (isControl(char))
      return `a control character (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
    // '\' separates folders on Windows: '..\..\x' climbs out there.
    if (char === '\\') return "a backslash ('\\'), a folder separator on Windows";
    // A drive ('C:x', 'C:\x'), an NTFS stream ('file::$DATA') or a device path.
    if (char === ':') return "a colon (':'), which names a drive or a stream on Windows";
  }
  return undefined;
}

function segmentProblem(segment: string): string | undefined {
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `is longer than ${MAX_SEGMENT_BYTES} bytes`;
  // Windows drops trailing dots and spaces: 'a.' is 'a' there, and '...' climbs.
  if (/[. ]$/.test(segment)) return 'ends with a dot or a space, which Windows drops';
  const stem = segment.split('.')[0]!.trimEnd();
  if (RESERVED_DEVICE.test(stem)) return 'is a Windows device name';
  return undefined;
}

/** C0 and C1 controls and DEL: they rewrite terminal lines and log output. */
function isControl(char: string): boolean {
  return char < ' ' || (char >= '\u007f' && char <= '\u009f');
}

function refuse(reason: string): NameCheck {
  return { ok: false, reason };
}

/** Names come from an archive or a disk: keep control characters out of log lines, and long names short. */
export function printable(value: string): string {
  let clean = '';
  for (const char of value) clean += isControl(char) ? '?' : char;
  return clean.length > 200 ? `${clean.slice(0, 100)}…${clean.slice(-60)}` : clean;
}
