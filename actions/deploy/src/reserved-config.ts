/**
 * A release made by something other than the release action may still name
 * a reserved config key (a loader hook, a runner namespace): deploy refuses
 * it again, with the same list and words as the release action, before a
 * deployment is created or anything runs.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { type ReleaseManifest, reservedKeyMessage, reservedKeyReason } from '@build-release-run/release-format';

export function refuseReservedKeys(manifest: ReleaseManifest): void {
  for (const key of [...manifest.config.keys, ...manifest.config.secretKeys]) {
    const reason = reservedKeyReason(key);
    if (reason !== undefined) {
      throw new ConfigurationError(`${manifest.tag} cannot be deployed: ${reservedKeyMessage(key, reason)}`);
    }
  }
}
