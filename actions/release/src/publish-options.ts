/**
 * How a release presents itself on the repository's release list: whether
 * it is a pre-release and whether it takes GitHub's "Latest" badge. The badge
 * belongs to one environment (production by default), so a staging release
 * never becomes what the repository page calls its latest. Pure.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { isPrerelease } from './versioning.ts';

export const MAKE_LATEST_CHOICES = ['true', 'false', 'auto'] as const;
export type MakeLatestChoice = (typeof MAKE_LATEST_CHOICES)[number];

export interface PublishOptions {
  prerelease: boolean;
  /** Sent on every release as GitHub's `make_latest`, never left to GitHub's default. */
  makeLatest: 'true' | 'false';
}

export function parseMakeLatest(text: string, inputName = 'make-latest'): MakeLatestChoice {
  const value = text.trim() || 'auto';
  if ((MAKE_LATEST_CHOICES as readonly string[]).includes(value)) return value as MakeLatestChoice;
  throw new ConfigurationError(
    `Input '${inputName}' must be true, false or auto (auto: only releases of 'latest-environment' take the Latest badge); got ${JSON.stringify(value.slice(0, 40))}.`,
  );
}

/** `true`, `false`, or empty: a pre-release exactly when the version is a semver pre-release (v1.3.0-rc.1). */
export function parsePrerelease(text: string, inputName = 'prerelease'): boolean | 'auto' {
  const value = text.trim();
  if (value === '') return 'auto';
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigurationError(
    `Input '${inputName}' must be true or false, or empty to follow the version (v1.3.0-rc.1 is a pre-release); got ${JSON.stringify(value.slice(0, 40))}.`,
  );
}

export function publishOptions(
  version: string,
  environment: string,
  choices: { prerelease: boolean | 'auto'; makeLatest: MakeLatestChoice; latestEnvironment: string },
): PublishOptions {
  const prerelease = choices.prerelease === 'auto' ? isPrerelease(version) : choices.prerelease;
  // GitHub never makes a pre-release Latest; saying so keeps the request honest.
  if (prerelease) return { prerelease, makeLatest: 'false' };
  if (choices.makeLatest !== 'auto') return { prerelease, makeLatest: choices.makeLatest };
  return { prerelease, makeLatest: environment === choices.latestEnvironment ? 'true' : 'false' };
}
