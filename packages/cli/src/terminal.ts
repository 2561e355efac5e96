/**
 * The terminal sink: text from a release (tags, names, config values,
 * descriptions, file names) is data. Printed raw, an escape sequence in it
 * could move the cursor, rewrite earlier lines, set the window title or
 * hide text; a bidi override could make one tag read as another. Every
 * piece of such text reaches stdout or stderr through `forTerminal`, which
 * shows each control or format character as a visible `\u{…}` escape.
 */

// C0 controls, DEL and C1 controls (U+009B is a one-character CSI), the line
// and paragraph separators, and the bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// The same but C0, which JSON.stringify escapes itself (its own line breaks are layout).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

function escapeChar(char: string): string {
  return `\\u{${(char.codePointAt(0) as number).toString(16)}}`;
}

/** One line of untrusted text, safe to print: nothing in it acts on the terminal. */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * JSON for a terminal or a pipe: JSON.stringify already escapes C0
 * controls; this also writes DEL, C1, separators and bidi controls as
 * `\uXXXX`, which any JSON reader decodes back to the same string.
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    UNSAFE_IN_JSON,
    (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}
