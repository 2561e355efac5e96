/**
 * Turns what the user wrote into the config a release carries: values for
 * ordinary keys, names only for secret keys. Pure: main.ts reads the inputs
 * and reports the notices.
 */
import { ConfigurationError } from '@build-release-run/contract';
import type { ReleaseConfig } from '@build-release-run/release-format';
import type { ConfigEntry } from './config-input.ts';
import { credentialKind } from './credentials.ts';

export interface BuiltConfig {
  config: ReleaseConfig;
  /** Secret keys that were given a value: the value is not stored (say so, never show it). */
  droppedSecretKeys: string[];
}

export function buildReleaseConfig(entries: readonly ConfigEntry[], secretKeys: readonly string[]): BuiltConfig {
  const secret = new Set(secretKeys);
  const values: Record<string, string> = {};
  const seen = new Map<string, string>();
  const droppedSecretKeys: string[] = [];
  for (const { key, value, where } of entries) {
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ConfigurationError(`${where}: ${key} is already set at ${first}; give each key once.`);
    }
    seen.set(key, where);
    if (secret.has(key)) droppedSecretKeys.push(key);
    else values[key] = value;
  }
  refuseSecretsInValues(entries, secret, values);
  for (const { key, value, where } of entries) {
    const kind = secret.has(key) ? undefined : credentialKind(value);
    if (kind !== undefined) {
      throw new ConfigurationError(
        `${where}: the value of ${key} looks like ${kind}, and release assets are readable by anyone who can see the release. ` +
          `List ${key} in 'secret-keys' (deploy then reads it from its own secrets) and remove its value from the config.`,
      );
    }
  }
  return { config: { values, secretKeys: [...secret].sort() }, droppedSecretKeys };
}

/**
 * A secret's value written again inside another key (`DB_DSN=…password=<secret>`)
 * would reach the public config.env and the notes through that key. The
 * forms looked for: as written, percent-encoded (URLs, DSNs) and base64
 * (basic-auth headers). The error names both keys, never the value.
 */
function refuseSecretsInValues(
  entries: readonly ConfigEntry[],
  secret: ReadonlySet<string>,
  values: Readonly<Record<string, string>>,
): void {
  for (const { key: secretKey, value: secretValue, where } of entries) {
    if (!secret.has(secretKey) || secretValue.trim() === '') continue;
    const forms = new Set([secretValue, encodeURIComponent(secretValue), Buffer.from(secretValue).toString('base64')]);
    for (const [key, value] of Object.entries(values)) {
      if (![...forms].some((form) => value.includes(form))) continue;
      throw new ConfigurationError(
        `config: the value of ${key} contains the value of the secret key ${secretKey} (given at ${where}), and ${key} would be stored in the release's public config. ` +
          `Build ${key} from ${secretKey} in the deploy (its command gets both), or list ${key} in 'secret-keys' too.`,
      );
    }
  }
}
