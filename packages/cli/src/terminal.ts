/**
 * The terminal sink: text from a release (tags, names, config values,
 * descriptions, file names) is data. Printed raw, an escape sequence in it
 * could move the cursor, rewrite earlier lines, set the window title or
 * hide text; a bidi override could make one tag read as another. Every
 * piece of such text reaches stdout or stderr through `forTerminal`, which
 * shows each control or invisible character as a visible `\u{…}` escape.
 */

import { codePointEscape, jsonCharEscape, replaceInvisible } from '@build-release-run/contract';

/** One line of untrusted text, safe to print: nothing in it acts on the terminal. */
export function forTerminal(text: string): string {
  // The sinks' one rule (contract's visible.ts); here a line break is an escape too.
  return replaceInvisible(text, codePointEscape);
}

/**
 * JSON for a terminal or a pipe: JSON.stringify already escapes C0
 * controls inside strings (the line breaks left are its own layout); this
 * also writes DEL, C1, the separators and every default-ignorable character
 * (bidi controls, zero-width characters, tags) as `\uXXXX`, which any JSON
 * reader decodes back to the same string.
 */
export function jsonForTerminal(value: unknown): string {
  return replaceInvisible(JSON.stringify(value, null, 2), jsonCharEscape, new Set(['\n']));
}
