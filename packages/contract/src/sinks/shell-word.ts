/**
 * The shell sink: one word of a command a person copies from a summary or
 * notes. A word of only safe characters stays bare; anything else is
 * single-quoted (POSIX: nothing is special inside single quotes, and a
 * single quote itself is written as '\''), so `$(…)`, backticks, `;`, `|`
 * and globs are all literal when pasted.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellWord(value: string): string {
  if (SAFE.test(value) && !value.startsWith('-')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
