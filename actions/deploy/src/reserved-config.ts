/**
 * What deploy checks of a release's config names once release.json is
 * verified, before a deployment is created or anything runs:
 *
 * - a release made by something other than the release action may still
 *   name a reserved config key (a loader hook, a runner namespace): refused
 *   again, with the same list and words as the release action. The list
 *   only explains: config reaches the command as a file, and only the keys
 *   input `config-env` lists become variables (command-env.ts);
 * - every key `config-env` lists is one the release has.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { type ReleaseManifest, reservedKeyMessage, reservedKeyReason } from '@build-release-run/release-format';
import { refuseUnknownConfigEnv } from './command-env.ts';

export function refuseReleaseConfig(manifest: ReleaseManifest, configEnv: readonly string[]): void {
  for (const key of [...manifest.config.keys, ...manifest.config.secretKeys]) {
    const reason = reservedKeyReason(key);
    if (reason !== undefined) {
      throw new ConfigurationError(`${manifest.tag} cannot be deployed: ${reservedKeyMessage(key, reason)}`);
    }
  }
  refuseUnknownConfigEnv(configEnv, {
    tag: manifest.tag,
    keys: manifest.config.keys,
    secretKeys: manifest.config.secretKeys,
  });
}
