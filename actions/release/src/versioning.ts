/**
 * Release IDs. `version` is either an explicit version (`1.4.2`, `v1.4.2`,
 * `v7`) or a scheme that computes the next one from the tags already taken:
 *   major | minor | patch  bump the highest semver tag (v1.2.3 → v2.0.0 / v1.3.0 / v1.2.4)
 *   increment              Heroku-style v1, v2, ... (the highest vN plus one)
 *   timestamp              UTC time, v20261121.234500
 * The tag is always `v` + version. Claiming the tag decides; a computed
 * version that lost a race moves to the next one (see nextAfterConflict).
 */
import { ConfigurationError, VERSION, isVersion, quoteRefused } from '@build-release-run/contract';

export const SCHEMES = ['major', 'minor', 'patch', 'increment', 'timestamp'] as const;
export type Scheme = (typeof SCHEMES)[number];

export type VersionRequest = { kind: 'explicit'; version: string } | { kind: 'scheme'; scheme: Scheme };

export function parseVersionInput(text: string, inputName = 'version'): VersionRequest {
  const value = text.trim();
  if (value === '') return { kind: 'scheme', scheme: 'increment' };
  if ((SCHEMES as readonly string[]).includes(value)) return { kind: 'scheme', scheme: value as Scheme };
  const version = value.startsWith('v') ? value.slice(1) : value;
  if (isVersion(version)) return { kind: 'explicit', version };
  throw new ConfigurationError(
    `Input '${inputName}' must be a version such as 1.4.2 or v1.4.2 (${VERSION.description}, with or without a leading v) or one of the schemes ${SCHEMES.join(', ')}; got ${quoteRefused(value)}.`,
  );
}

export function tagOf(version: string): string {
  return `v${version}`;
}

type Triple = [number, number, number];

function semverOfTag(tag: string): Triple | undefined {
  // Pre-releases never count as the latest release to bump from.
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(tag);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compareTriples(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function bump([major, minor, patch]: Triple, scheme: 'major' | 'minor' | 'patch'): string {
  if (scheme === 'major') return `${major + 1}.0.0`;
  if (scheme === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

export function timestampVersion(now: Date): string {
  const iso = now.toISOString(); // 2026-11-21T23:45:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}.${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/** The first version to try, given the tags already taken (releases and drafts seen). */
export function firstCandidate(request: VersionRequest, takenTags: readonly string[], now: Date): string {
  if (request.kind === 'explicit') return request.version;
  const { scheme } = request;
  if (scheme === 'timestamp') {
    const base = timestampVersion(now);
    return takenTags.includes(tagOf(base)) ? `${base}.2` : base;
  }
  if (scheme === 'increment') {
    let highest = 0;
    for (const tag of takenTags) {
      const match = /^v([1-9]\d*)$/.exec(tag);
      if (match) highest = Math.max(highest, Number(match[1]));
    }
    return String(highest + 1);
  }
  let highest: Triple = [0, 0, 0];
  for (const tag of takenTags) {
    const triple = semverOfTag(tag);
    if (triple && compareTriples(triple, highest) > 0) highest = triple;
  }
  return bump(highest, scheme);
}

/**
 * The version to try after `taken` turned out to exist: bump again from it
 * (someone released it since we looked). Undefined for an explicit version:
 * that is the user's choice and it is gone.
 */
export function nextAfterConflict(request: VersionRequest, taken: string): string | undefined {
  if (request.kind === 'explicit') return undefined;
  const { scheme } = request;
  if (scheme === 'increment') return String(Number(taken) + 1);
  if (scheme === 'timestamp') {
    const match = /^(\d{8}\.\d{6})(?:\.(\d+))?$/.exec(taken);
    if (!match) return undefined;
    return `${match[1]}.${Number(match[2] ?? '1') + 1}`;
  }
  const triple = semverOfTag(taken);
  return triple ? bump(triple, scheme) : undefined;
}
