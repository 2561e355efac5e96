/**
 * Characters that change how text is laid out or read rather than what it
 * says, so that two strings that look the same can differ:
 *
 * - C0 and C1 controls and DEL, the line and paragraph separators;
 * - every default-ignorable code point (Unicode's Default_Ignorable_Code_Point,
 *   UAX #44): the bidirectional controls (U+061C, U+200E/F, U+202A–U+202E,
 *   U+2066–U+2069, which can make a line read differently from its bytes),
 *   the zero-width characters (U+200B–U+200D, U+2060, U+FEFF), the soft
 *   hyphen (U+00AD), the invisible operators, the variation selectors, the
 *   Hangul fillers and the tag characters (U+E0000–U+E0FFF), which renderers
 *   draw as nothing.
 *
 * Every sink (log line, markdown, HTML, terminal) shows them as escapes
 * instead: one rule, here. A price: emoji built with a zero-width joiner, a
 * variation selector or tag characters (some flags) show their parts
 * escaped too.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Default_Ignorable_Code_Point}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\u{200b}`: how every sink writes a character it will not show raw. */
export function codePointEscape(char: string): string {
  return `\\u{${(char.codePointAt(0) as number).toString(16)}}`;
}

/** `\u200b`, `\udb40\udc41`: a character as JSON writes it (one escape per UTF-16 unit), which JSON readers decode back. */
export function jsonCharEscape(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

function escapeOne(char: string): string {
  return NAMED[char] ?? codePointEscape(char);
}

/** The text on one line, every invisible or line-breaking character written as an escape (`\n`, `\u{1b}`). */
export function visibleText(value: string): string {
  return value.replace(INVISIBLE, escapeOne);
}

/**
 * The same rule for a sink that keeps its own line breaks and tabs (a page,
 * a terminal that prints several lines): every other invisible character is
 * passed to `escape`, which writes it the way that sink shows an escape.
 */
export function replaceInvisible(
  value: string,
  escape: (char: string) => string,
  keep: ReadonlySet<string> = new Set(),
): string {
  return value.replace(INVISIBLE, (char) => (keep.has(char) ? char : escape(char)));
}

/** True when the value holds a character visibleText would escape. */
export function hasInvisible(value: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(value);
  INVISIBLE.lastIndex = 0;
  return found;
}
