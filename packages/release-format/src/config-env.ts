/**
 * config.env: the release's config, one `KEY=VALUE` per line, keys sorted.
 * A value is written bare when a shell-style reader would read it back
 * unchanged; otherwise it is double-quoted with JSON escapes, so a multi-line
 * value stays on one line (`"line1\nline2"`). Secret keys appear as a comment
 * `# secret KEY`, never with a value: deploy takes their values from its own
 * environment.
 */
import { CONFIG_KEY, isConfigKeyName } from '@build-release-run/contract';
import { compareNames } from './checksums.ts';
import { reservedKeyMessage, reservedKeyReason } from './reserved-keys.ts';

export interface ReleaseConfig {
  /** Non-secret keys and their values. */
  values: Readonly<Record<string, string>>;
  /** Names whose values deploy reads from its own secrets. */
  secretKeys: readonly string[];
}

/**
 * A key a config may carry: an environment variable name (the contract's
 * CONFIG_KEY rule) that is not reserved (see reserved-keys.ts).
 */
export function isConfigKey(key: string): boolean {
  return isConfigKeyName(key) && reservedKeyReason(key) === undefined;
}

/**
 * Why `key` cannot be a config key, or undefined when it can: the one check
 * the release action (on what the user wrote) and deploy (on config.env)
 * both make. Names the key only once it is a valid name (an invalid one may
 * be a fragment of a secret). A sentence, ending with '.'.
 */
export function configKeyProblem(key: string): string | undefined {
  if (!isConfigKeyName(key)) return `the name is not ${CONFIG_KEY.noun}: use ${CONFIG_KEY.description}.`;
  const reason = reservedKeyReason(key);
  return reason === undefined ? undefined : reservedKeyMessage(key, reason);
}

/** The keys that carry values (secret keys excluded), sorted. */
export function configKeys(config: ReleaseConfig): string[] {
  return Object.keys(config.values).sort(compareNames);
}

export function serializeConfigEnv(config: ReleaseConfig): string {
  const secret = new Set(config.secretKeys);
  const lines: { key: string; line: string }[] = [];
  for (const key of secret) {
    checkKey(key, 'secret key');
    if (Object.hasOwn(config.values, key)) throw new Error(`secret key ${key} must not carry a value`);
    lines.push({ key, line: `# secret ${key}` });
  }
  for (const [key, value] of Object.entries(config.values)) {
    checkKey(key, 'config key');
    lines.push({ key, line: `${key}=${encodeValue(value)}` });
  }
  lines.sort((a, b) => compareNames(a.key, b.key));
  return lines.map(({ line }) => `${line}\n`).join('');
}

/** Reads config.env as serializeConfigEnv writes it; throws on anything else. */
export function parseConfigEnv(text: string): ReleaseConfig {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, index) => {
    const where = `config.env line ${index + 1}`;
    if (line.trim() === '') return;
    const secret = /^# secret (.*)$/.exec(line);
    let key: string;
    if (secret) {
      key = secret[1] as string;
      checkKey(key, where);
      secretKeys.push(key);
    } else if (line.startsWith('#')) {
      return;
    } else {
      const eq = line.indexOf('=');
      key = eq < 0 ? '' : line.slice(0, eq);
      if (!isConfigKeyName(key)) throw new Error(`${where} is not KEY=VALUE with an environment variable name`);
      checkKey(key, where);
      values[key] = decodeValue(line.slice(eq + 1), where);
    }
    if (seen.has(key)) throw new Error(`${where} repeats the key ${key}`);
    seen.add(key);
  });
  return { values, secretKeys: secretKeys.sort(compareNames) };
}

function checkKey(key: string, where: string): void {
  const problem = configKeyProblem(key);
  if (problem !== undefined) throw new Error(`${where}: ${problem}`);
}

// Printable ASCII that no dotenv or shell reader treats specially.
function isBareSafe(value: string): boolean {
  if (value === '') return true;
  if (value.startsWith('#') || value !== value.trim()) return false;
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x20 || code > 0x7e) return false;
    if (ch === '"' || ch === "'" || ch === '\\' || ch === '`' || ch === '$') return false;
  }
  return true;
}

export function encodeValue(value: string): string {
  return isBareSafe(value) ? value : JSON.stringify(value);
}

function decodeValue(raw: string, where: string): string {
  if (!raw.startsWith('"')) {
    if (!isBareSafe(raw)) throw new Error(`${where} has a value that should have been quoted`);
    return raw;
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw);
  } catch {
    throw new Error(`${where} has a quoted value that is not a JSON string`);
  }
  if (typeof decoded !== 'string') throw new Error(`${where} has a quoted value that is not a JSON string`);
  return decoded;
}
