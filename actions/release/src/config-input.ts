/**
 * The config a user writes in the `config` input or a `config-file`:
 *
 *     # comments and blank lines are ignored
 *     KEY=value                 bare: the rest of the line, surrounding spaces trimmed
 *     KEY="a\tb \"q\" \n c"     double quotes: JSON escapes, one line
 *     KEY='literal $x \n'       single quotes: taken as written
 *     KEY<<EOF                  multi-line: the lines up to a line that is exactly EOF
 *     line one
 *     line two
 *     EOF
 *
 * Keys are environment variable names; a key may appear once. Errors name
 * the input and the line, never the value (it may be a secret).
 */
import { ConfigurationError } from '@build-release-run/contract';
import { isConfigKey } from '@build-release-run/release-format';

export interface ConfigEntry {
  key: string;
  value: string;
  /** Where it was written, for messages: `config line 3`. */
  where: string;
}

const KEY_HELP = 'a name of letters, digits and underscores that does not start with a digit';

export function parseConfigText(text: string, source: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const where = `${source} line ${index + 1}`;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;

    const heredoc = /^([^=<\s]*)\s*<<\s*([A-Za-z_][A-Za-z0-9_]*)$/.exec(trimmed);
    if (heredoc) {
      const key = checkKey(heredoc[1] as string, where);
      const delimiter = heredoc[2] as string;
      const body: string[] = [];
      let end = index + 1;
      while (end < lines.length && (lines[end] as string).trim() !== delimiter) body.push(lines[end++] as string);
      if (end >= lines.length) {
        throw new ConfigurationError(
          `${where}: the multi-line value of ${key} is never closed; end it with a line that is exactly ${delimiter}.`,
        );
      }
      entries.push({ key, value: body.join('\n'), where });
      index = end;
      continue;
    }

    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      throw new ConfigurationError(
        `${where} is not KEY=VALUE (nor KEY<<DELIMITER for a multi-line value); write one setting per line.`,
      );
    }
    const key = checkKey(trimmed.slice(0, eq).trim(), where);
    entries.push({ key, value: readValue(trimmed.slice(eq + 1).trim(), key, where), where });
  }
  return entries;
}

function checkKey(key: string, where: string): string {
  if (!isConfigKey(key)) {
    const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
    throw new ConfigurationError(`${where}: '${shown}' is not a valid key; use ${KEY_HELP} (e.g. DATABASE_URL).`);
  }
  return key;
}

function readValue(raw: string, key: string, where: string): string {
  if (raw.startsWith('"')) {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string') {
      throw new ConfigurationError(
        `${where}: the double-quoted value of ${key} is not closed or has a bad escape; double quotes take JSON escapes (\\n, \\", \\\\) and end on the same line.`,
      );
    }
    return value;
  }
  if (raw.startsWith("'")) {
    if (raw.length < 2 || !raw.endsWith("'")) {
      throw new ConfigurationError(
        `${where}: the single-quoted value of ${key} is not closed; single quotes end on the same line (use KEY<<EOF for several lines).`,
      );
    }
    return raw.slice(1, -1);
  }
  return raw;
}

/** `secret-keys`: names separated by commas, spaces or new lines. */
export function parseSecretKeys(text: string, inputName: string): string[] {
  const names = text.split(/[\s,]+/).filter((name) => name !== '');
  for (const name of names) {
    if (!isConfigKey(name)) {
      throw new ConfigurationError(
        `Input '${inputName}': '${name.slice(0, 40)}' is not a valid key; list ${KEY_HELP}, separated by commas or new lines.`,
      );
    }
  }
  return [...new Set(names)];
}
