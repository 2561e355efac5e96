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
 * A bare or single-quoted value ends with its line. A multi-line value is
 * written with KEY<<EOF or double quotes and \n; anything that looks like the
 * first line of one written as plain lines is refused as ambiguous, so a
 * second line never becomes a key of its own: a value that opens a PEM block
 * (`-----BEGIN …-----`) without closing it, a value made of '=' only (the
 * padding that ends a base64 line), and a setting indented deeper than the
 * setting before it.
 *
 * Keys are environment variable names that are not reserved (release-format's
 * configKeyProblem, the rule deploy applies too); a key may appear once, and
 * never a key listed in `secret-keys` (refuseSecretSettings).
 * Errors name the input, the line and a valid key, never a value or the text
 * of a line (it may be part of a secret).
 */
import { ConfigurationError, CONFIG_KEY } from '@build-release-run/contract';
import { configKeyProblem } from '@build-release-run/release-format';

export interface ConfigEntry {
  key: string;
  value: string;
  /** Where it was written, for messages: `config line 3`. */
  where: string;
}

export function parseConfigText(text: string, source: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  // The last one-line setting, to explain a line that may continue its value.
  let previous: { key: string; where: string; indent: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const where = `${source} line ${index + 1}`;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (previous !== undefined && indent > previous.indent) {
      throw new ConfigurationError(
        `${where} is indented deeper than ${previous.where}: if it continues the value of ${previous.key}, write that value as ${previous.key}<<EOF … EOF (or double-quoted with \\n); otherwise remove the indentation.`,
      );
    }

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
      previous = undefined;
      continue;
    }

    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      const after = previous
        ? ` If it continues the value of ${previous.key} (${previous.where}), write that value as ${previous.key}<<EOF … EOF.`
        : '';
      throw new ConfigurationError(
        `${where} is not KEY=VALUE (nor KEY<<DELIMITER for a multi-line value); write one setting per line.${after}`,
      );
    }
    const key = checkKey(trimmed.slice(0, eq).trim(), where);
    const value = readValue(trimmed.slice(eq + 1).trim(), key, where);
    entries.push({ key, value, where });
    previous = { key, where, indent };
  }
  return entries;
}

function checkKey(key: string, where: string): string {
  const problem = configKeyProblem(key);
  if (problem !== undefined) {
    // An invalid name is not shown: on a broken line it can be part of a secret.
    throw new ConfigurationError(`${where}: ${problem}`);
  }
  return key;
}

// A PEM block's first line: a key or certificate that needs several lines.
const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;

/** Refuses a one-line value that looks like one line of a multi-line one. */
function checkOneLine(value: string, key: string, where: string): string {
  if (/^=+$/.test(value)) {
    throw new ConfigurationError(
      `${where} ends in '=' padding, like a line of a base64 block (a key or certificate): if it belongs to a multi-line value, write that value as KEY<<EOF … EOF. A value that really is made of '=' must be double-quoted.`,
    );
  }
  const begin = PEM_BEGIN.exec(value);
  if (begin && !value.includes(`-----END ${begin[1]}-----`)) {
    throw new ConfigurationError(
      `${where}: the value of ${key} opens a '-----BEGIN ${begin[1]}-----' block that does not end on the same line. Write a multi-line value as ${key}<<EOF … EOF, or double-quoted with \\n between lines.`,
    );
  }
  return value;
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
    return checkOneLine(raw.slice(1, -1), key, where);
  }
  return checkOneLine(raw, key, where);
}

/**
 * `secret-keys`: names separated by commas, spaces or new lines. A name that
 * is not valid is not shown (a secret's value pasted here by mistake must not
 * reach the log): the error counts its position instead.
 */
export function parseSecretKeys(text: string, inputName: string): string[] {
  const names = text.split(/[\s,]+/).filter((name) => name !== '');
  names.forEach((name, index) => {
    const problem = configKeyProblem(name);
    if (problem === undefined) return;
    throw new ConfigurationError(
      `Input '${inputName}', name ${index + 1}: ${problem} List names only (${CONFIG_KEY.noun} each, never a value), separated by commas or new lines.`,
    );
  });
  return [...new Set(names)];
}

/**
 * A key in `secret-keys` is never given a value in the config, not even an
 * empty one: a secret is never stored in a release, and deploy takes its
 * value from the deploy job's `env:`. Dropping such a value instead was not
 * enough: a multi-line secret written as `DB_PASSWORD=${{ secrets.X }}` is
 * expanded before this action reads it, so its later lines read as settings
 * of their own (`API_KEY=<line 2>`) and were published. Refusing the
 * setting refuses the whole config before anything is created. The error
 * names the line and the key, never the value.
 */
export function refuseSecretSettings(entries: readonly ConfigEntry[], secretKeys: readonly string[]): void {
  const secret = new Set(secretKeys);
  const given = entries.find(({ key }) => secret.has(key));
  if (given === undefined) return;
  const { key, where } = given;
  throw new ConfigurationError(
    `${where}: ${key} is listed in 'secret-keys', so the config must not give it a value: a release never stores a secret. ` +
      `Remove the line; deploy takes ${key} from the deploy job's \`env:\` (env: { ${key}: \${{ secrets.${key} }} }).`,
  );
}
