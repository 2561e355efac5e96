/**
 * Turns what the user wrote into the config a release carries: values for
 * ordinary keys, names only for secret keys. Pure: main.ts reads the inputs.
 */
import { ConfigurationError } from '@build-release-run/contract';
import type { ReleaseConfig } from '@build-release-run/release-format';
import { type ConfigEntry, refuseSecretSettings } from './config-input.ts';
import { credentialKind } from './credentials.ts';

export function buildReleaseConfig(entries: readonly ConfigEntry[], secretKeys: readonly string[]): ReleaseConfig {
  refuseSecretSettings(entries, secretKeys);
  const values: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const { key, value, where } of entries) {
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ConfigurationError(`${where}: ${key} is already set at ${first}; give each key once.`);
    }
    seen.set(key, where);
    values[key] = value;
  }
  for (const { key, value, where } of entries) {
    const kind = credentialKind(value);
    if (kind !== undefined) {
      throw new ConfigurationError(
        `${where}: the value of ${key} looks like ${kind}, and release assets are readable by anyone who can see the release. ` +
          `List ${key} in 'secret-keys' (deploy then reads it from its own secrets) and remove its value from the config.`,
      );
    }
  }
  return { values, secretKeys: [...new Set(secretKeys)].sort() };
}
