/**
 * Replaces every secret value in a stream of output with ***, whatever the
 * chunking: a secret split across chunks, across a UTF-8 character, or
 * inside a line of any length is still found. Output is written as soon as
 * it cannot be the start of a secret, so a long line without a newline
 * streams through instead of piling up.
 */
import { StringDecoder } from 'node:string_decoder';

export const REDACTED = '***';

export interface Redactor {
  push(chunk: Buffer | string): void;
  end(): void;
}

export function streamRedactor(secrets: readonly string[], write: (text: string) => void): Redactor {
  // Longest first, so a secret containing another is replaced whole.
  const values = [...new Set(secrets)].filter((value) => value !== '').sort((a, b) => b.length - a.length);
  const longest = values[0]?.length ?? 0;
  const decoder = new StringDecoder('utf8');
  let pending = '';

  const drain = (final: boolean): void => {
    const text = pending;
    let out = '';
    let plainFrom = 0;
    let i = 0;
    scan: while (i < text.length) {
      const rest = text.length - i;
      // Near the end, the text may be the start of a secret the next chunk completes: wait for it.
      if (!final && rest < longest) {
        const tail = text.slice(i);
        if (values.some((value) => value.length > rest && value.startsWith(tail))) break;
      }
      for (const value of values) {
        if (text.startsWith(value, i)) {
          out += text.slice(plainFrom, i) + REDACTED;
          i += value.length;
          plainFrom = i;
          continue scan;
        }
      }
      i++;
    }
    out += text.slice(plainFrom, i);
    pending = text.slice(i);
    if (out !== '') write(out);
  };

  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      drain(false);
    },
    end() {
      pending += decoder.end();
      drain(true);
    },
  };
}

/**
 * What to mask for a set of secret values: each value, and each line of a
 * multi-line value (the log is read line by line, so the runner masks the
 * lines of a multi-line secret one by one, and so do we).
 */
export function maskedValues(values: readonly string[]): string[] {
  const masked = new Set<string>();
  for (const value of values) {
    if (value === '') continue;
    masked.add(value);
    for (const line of value.split(/\r?\n|\r/)) if (line.trim() !== '') masked.add(line);
  }
  return [...masked];
}
