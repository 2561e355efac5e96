/**
 * Release IDs. `version` is either an explicit version (`1.4.2`, `v1.4.2`,
 * `v7`) or a scheme that computes the next one from the tags already taken:
 *   major | minor | patch           bump the highest release tag (v1.2.3 → v2.0.0 / v1.3.0 / v1.2.4)
 *   premajor | preminor | prepatch  the next such release as a pre-release (v1.2.3 → v1.3.0-rc.1)
 *   prerelease                      the next pre-release (v1.3.0-rc.1 → v1.3.0-rc.2; v1.2.3 → v1.2.4-rc.1)
 *   increment                       Heroku-style v1, v2, ... (the highest vN plus one)
 *   timestamp                       UTC time, v20261121.234500
 *   ref                             the pushed tag that triggered the workflow (GITHUB_REF = refs/tags/v1.4.2)
 * Semantic versions are parsed, compared and bumped by the `semver` package,
 * the implementation npm itself uses, so `v1.10.0` sorts above `v1.9.9` and
 * pre-releases sort below their release exactly as everywhere else.
 * The tag is always `v` + version. Claiming the tag decides; a computed
 * version that lost a race moves to the next one (see nextAfterConflict).
 */
import semver from 'semver';
import { ConfigurationError, VERSION, isVersion, quoteRefused } from '@build-release-run/contract';

export const SEMVER_SCHEMES = ['major', 'minor', 'patch', 'premajor', 'preminor', 'prepatch', 'prerelease'] as const;
export const SCHEMES = [...SEMVER_SCHEMES, 'increment', 'timestamp'] as const;
export type SemverScheme = (typeof SEMVER_SCHEMES)[number];
export type Scheme = (typeof SCHEMES)[number];

export type VersionRequest =
  | { kind: 'explicit'; version: string }
  | { kind: 'scheme'; scheme: Scheme; preid: string }
  /** `version: ref`: the tag that triggered the workflow (GITHUB_REF), which exists already. */
  | { kind: 'ref'; version: string };

/** The pre-release label when the workflow names none: release candidates. */
export const DEFAULT_PREID = 'rc';
/** Pre-release numbers start at 1 (`-rc.1`), as people count release candidates. */
const PRERELEASE_BASE = '1';
/** One semver pre-release identifier, without leading zeros when numeric, bounded. */
const PREID = /^(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)$/;
const PREID_MAX = 32;

const isSemverScheme = (scheme: Scheme): scheme is SemverScheme =>
  (SEMVER_SCHEMES as readonly string[]).includes(scheme);

/** A full semantic version, strictly (no `v`, no leading zeros, no loose forms). */
function isSemver(version: string): boolean {
  return semver.parse(version)?.raw === version;
}

export function parsePreid(text: string, inputName = 'preid'): string {
  const value = text.trim();
  if (value === '') return DEFAULT_PREID;
  if (value.length > PREID_MAX || !PREID.test(value)) {
    throw new ConfigurationError(
      `Input '${inputName}' must be one pre-release label of letters, digits and '-' (at most ${PREID_MAX}), such as rc, beta or alpha; got ${quoteRefused(value)}.`,
    );
  }
  return value;
}

export function parseVersionInput(
  text: string,
  inputName = 'version',
  preid = DEFAULT_PREID,
  gitRef = '',
): VersionRequest {
  const value = text.trim();
  if (value === '') return { kind: 'scheme', scheme: 'increment', preid };
  if (value === 'ref') return { kind: 'ref', version: versionOfPushedTag(gitRef, inputName) };
  if ((SCHEMES as readonly string[]).includes(value)) return { kind: 'scheme', scheme: value as Scheme, preid };
  const version = value.startsWith('v') ? value.slice(1) : value;
  // The contract's one version rule, the same the manifest validator applies.
  if (isVersion(version)) return { kind: 'explicit', version };
  throw new ConfigurationError(
    `Input '${inputName}' must be a version such as 1.4.2 or v1.4.2 (${VERSION.description}, with or without a leading v) or one of the schemes ${SCHEMES.join(', ')}; got ${quoteRefused(value)}.`,
  );
}

/** The version a pushed tag names (`refs/tags/v1.4.2` → `1.4.2`): the tag must be one this action could have made. */
export function versionOfPushedTag(gitRef: string, inputName = 'version'): string {
  if (!gitRef.startsWith('refs/tags/')) {
    throw new ConfigurationError(
      `Input '${inputName}' is 'ref', but this workflow run was not started by a tag (GITHUB_REF is ${quoteRefused(gitRef.slice(0, 100))}). ` +
        "Run it on 'push: tags' (e.g. tags: ['v*']), or choose a version or a scheme.",
    );
  }
  const tag = gitRef.slice('refs/tags/'.length);
  const version = tag.slice(1);
  if (!tag.startsWith('v') || !isVersion(version)) {
    throw new ConfigurationError(
      `Input '${inputName}' is 'ref', but the tag ${quoteRefused(tag.slice(0, 100))} is not v + a version (${VERSION.description}), as release tags are; push a tag such as v1.4.2.`,
    );
  }
  return version;
}

export function tagOf(version: string): string {
  return `v${version}`;
}

/** The semantic version a tag names (`v1.2.3` or `1.2.3`), or undefined. */
function semverOfTag(tag: string): string | undefined {
  const version = tag.startsWith('v') ? tag.slice(1) : tag;
  return isSemver(version) ? version : undefined;
}

/** Whether a version is a pre-release (`1.3.0-rc.1`): such releases are never the default to deploy. */
export function isPrerelease(version: string): boolean {
  return isSemver(version) && semver.prerelease(version) !== null;
}

export function timestampVersion(now: Date): string {
  const iso = now.toISOString(); // 2026-11-21T23:45:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}.${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/**
 * The version a semver scheme bumps from. Releases bump from the highest
 * release (a v2.0.0-rc.1 does not make the next patch v2.0.0); pre-release
 * schemes from the highest version of any kind, so `prerelease` continues
 * the current series (v1.3.0-rc.1 → v1.3.0-rc.2).
 */
function bumpBase(scheme: SemverScheme, takenTags: readonly string[]): string {
  const versions = takenTags.map(semverOfTag).filter((version) => version !== undefined);
  const candidates = scheme === 'prerelease' ? versions : versions.filter((version) => !isPrerelease(version));
  return candidates.reduce((highest, version) => (semver.gt(version, highest) ? version : highest), '0.0.0');
}

function bump(from: string, scheme: SemverScheme, preid: string): string {
  const next = semver.inc(from, scheme, preid, PRERELEASE_BASE);
  if (next === null) throw new Error(`semver could not apply ${scheme} to ${from}`);
  return next;
}

/** The first version to try, given the tags already taken (releases and drafts seen). */
export function firstCandidate(request: VersionRequest, takenTags: readonly string[], now: Date): string {
  if (request.kind !== 'scheme') return request.version;
  const { scheme } = request;
  let candidate: string;
  if (scheme === 'timestamp') candidate = timestampVersion(now);
  else if (scheme === 'increment') {
    let highest = 0;
    for (const tag of takenTags) {
      const match = /^v([1-9]\d*)$/.exec(tag);
      if (match) highest = Math.max(highest, Number(match[1]));
    }
    candidate = String(highest + 1);
  } else candidate = bump(bumpBase(scheme, takenTags), scheme, request.preid);
  // A pre-release series may already hold the first candidate (v1.3.0-rc.1
  // exists when preminor runs again): step past what is known to be taken.
  const taken = new Set(takenTags);
  for (let step = 0; taken.has(tagOf(candidate)) && step <= takenTags.length; step++) {
    candidate = nextAfterConflict(request, candidate) ?? candidate;
  }
  return candidate;
}

/**
 * The version to try after `taken` turned out to exist: bump again from it
 * (someone released it since we looked). Undefined for an explicit version:
 * that is the user's choice and it is gone.
 */
export function nextAfterConflict(request: VersionRequest, taken: string): string | undefined {
  if (request.kind !== 'scheme') return undefined;
  const { scheme } = request;
  if (scheme === 'increment') return String(Number(taken) + 1);
  if (scheme === 'timestamp') {
    const match = /^(\d{8}\.\d{6})(?:\.(\d+))?$/.exec(taken);
    if (!match) return undefined;
    return `${match[1]}.${Number(match[2] ?? '1') + 1}`;
  }
  if (!isSemver(taken)) return undefined;
  // A pre-release that lost the race moves to the next number of its series.
  if (isSemverScheme(scheme) && scheme.startsWith('pre')) return bump(taken, 'prerelease', request.preid);
  return bump(taken, scheme, request.preid);
}
