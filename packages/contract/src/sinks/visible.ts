/**
 * Characters that change how text is laid out or read rather than what it
 * says: C0 and C1 controls, DEL, the Unicode line and paragraph separators,
 * and the bidirectional overrides (which can make a line read differently
 * from its bytes). Every sink shows them as escapes instead.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  return NAMED[char] ?? `\\u{${(char.codePointAt(0) as number).toString(16)}}`;
}

/** The text on one line, every invisible or line-breaking character written as an escape (`\n`, `\u{1b}`). */
export function visibleText(value: string): string {
  return value.replace(INVISIBLE, escapeOne);
}

/** True when the value holds a character visibleText would escape. */
export function hasInvisible(value: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(value);
  INVISIBLE.lastIndex = 0;
  return found;
}
