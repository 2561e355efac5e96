/**
 * What changed in the config since the previous release of the environment.
 * Secret keys are compared by name only: their values are never known here.
 */
import { compareNames } from './checksums.ts';
import type { ReleaseConfig } from './config-env.ts';

export type ConfigChange =
  | { change: 'added'; key: string; secret: boolean; value?: string }
  | { change: 'removed'; key: string; secret: boolean }
  | { change: 'changed'; key: string; from?: string; to?: string; becameSecret?: boolean; becamePlain?: boolean };

export function diffConfig(previous: ReleaseConfig | null, current: ReleaseConfig): ConfigChange[] {
  const before = previous ?? { values: {}, secretKeys: [] };
  const keys = new Set([
    ...Object.keys(before.values),
    ...before.secretKeys,
    ...Object.keys(current.values),
    ...current.secretKeys,
  ]);
  const changes: ConfigChange[] = [];
  for (const key of [...keys].sort(compareNames)) {
    const wasSecret = before.secretKeys.includes(key);
    const isSecret = current.secretKeys.includes(key);
    const had = wasSecret || Object.hasOwn(before.values, key);
    const has = isSecret || Object.hasOwn(current.values, key);
    if (!had && has) {
      changes.push(
        isSecret
          ? { change: 'added', key, secret: true }
          : { change: 'added', key, secret: false, value: current.values[key] as string },
      );
    } else if (had && !has) {
      changes.push({ change: 'removed', key, secret: wasSecret });
    } else if (wasSecret && !isSecret) {
      changes.push({ change: 'changed', key, to: current.values[key] as string, becamePlain: true });
    } else if (!wasSecret && isSecret) {
      changes.push({ change: 'changed', key, becameSecret: true });
    } else if (!isSecret && before.values[key] !== current.values[key]) {
      changes.push({ change: 'changed', key, from: before.values[key] as string, to: current.values[key] as string });
    }
  }
  return changes;
}
