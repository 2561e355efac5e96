/**
 * A release with none of the keys its environment's previous release had is
 * almost always a mistake in the workflow (a mistyped input name such as
 * `configfile:` reaches the action as no config at all), and deploying it
 * would start the app with no settings. It is refused unless the workflow
 * says the reset is meant. Pure.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { type ReleaseConfig, configKeys } from '@build-release-run/release-format';

function allKeys(config: ReleaseConfig): string[] {
  return [...configKeys(config), ...config.secretKeys].sort();
}

/** The keys this release would drop when it keeps none of the previous ones; empty when it keeps any. */
export function droppedEveryKey(previous: ReleaseConfig | null, next: ReleaseConfig): string[] {
  if (!previous) return [];
  const before = allKeys(previous);
  const after = new Set(allKeys(next));
  return before.some((key) => after.has(key)) ? [] : before;
}

export function guardConfigReset(
  previous: { tag: string; config: ReleaseConfig | null },
  next: ReleaseConfig,
  reset: boolean,
): void {
  const dropped = droppedEveryKey(previous.config, next);
  if (dropped.length === 0 || reset) return;
  const shown = dropped.slice(0, 20).join(', ') + (dropped.length > 20 ? `, and ${dropped.length - 20} more` : '');
  throw new ConfigurationError(
    `This release would drop every config key of ${previous.tag} (${shown}). The likely cause is a config input ` +
      `that did not arrive: check the spelling of 'config' and 'config-file' in the workflow (the runner only warns ` +
      `about an unknown input). If the environment really starts over, set 'config-reset: true'.`,
  );
}

export function parseConfigReset(text: string, inputName = 'config-reset'): boolean {
  const value = text.trim() || 'false';
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigurationError(
    `Input '${inputName}' must be true or false (true: this release may drop every config key of the environment's previous release); got ${JSON.stringify(value.slice(0, 40))}.`,
  );
}
