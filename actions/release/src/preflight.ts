/**
 * Before anything is claimed or uploaded: will deploy accept the release
 * this run is about to make? Deploy refuses a release GitHub does not mark
 * immutable, so a release made while release immutability is off passes
 * here and fails at the first deploy, after the user has nothing left to do
 * but change the setting and release again.
 *
 * The evidence, cheapest first: the newest published release's `immutable`
 * flag (in the page of releases the action reads anyway); then GitHub's
 * setting (`GET /repos/{owner}/{repo}/immutable-releases`, which needs
 * Administration: read, so a job's GITHUB_TOKEN is refused and a person's
 * admin token is answered); with neither, the `immutable` flag of GitHub's
 * answer to the publish (checkPublished). Input 'allow-mutable-release'
 * turns each stop into a warning.
 */
import type { ActionLog } from '@build-release-run/action-kit';
import { ConfigurationError } from '@build-release-run/contract';
import { type GitHubApi, GitHubApiError, type Release } from '@build-release-run/github-api';

export type ImmutabilityEvidence =
  { from: 'release'; on: boolean; tag: string } | { from: 'setting'; on: boolean } | { from: 'none' };

const SETTING = "repository Settings → General → Releases → 'Enable release immutability'";
const OVERRIDE =
  "Or set input 'allow-mutable-release: true' to release anyway (deploy then needs 'allow-mutable-release: true' too).";

/** The newest published release that says whether it is immutable (older servers omit the flag). Pure. */
export function newestPublished(releases: readonly Release[]): Release | undefined {
  return releases
    .filter((release) => !release.draft && typeof release.immutable === 'boolean')
    .reduce<Release | undefined>((newest, release) => (newest && newest.id > release.id ? newest : release), undefined);
}

/**
 * The evidence, in the order it is trusted: a newest release GitHub made
 * immutable says the setting is on; otherwise the setting's own answer
 * (undefined: the token may not read it); otherwise a newest release that is
 * mutable says it is off. Pure.
 */
export function immutabilityEvidence(newest: Release | undefined, setting: boolean | undefined): ImmutabilityEvidence {
  if (newest?.immutable === true) return { from: 'release', on: true, tag: newest.tag_name };
  if (setting !== undefined) return { from: 'setting', on: setting };
  if (newest !== undefined) return { from: 'release', on: false, tag: newest.tag_name };
  return { from: 'none' };
}

export type Verdict = { level: 'ok' } | { level: 'warning' | 'error'; message: string };

/** What the preflight says about the evidence: nothing, a warning (allowed), or the stop. Pure. */
export function immutabilityVerdict(evidence: ImmutabilityEvidence, allowMutable: boolean): Verdict {
  if (evidence.from === 'none' || evidence.on) return { level: 'ok' };
  const why =
    evidence.from === 'setting'
      ? 'Release immutability is off for this repository (GitHub says so)'
      : `Release immutability looks off for this repository: its newest release, ${evidence.tag}, is not immutable (this job's token may not read the setting itself)`;
  if (allowMutable) {
    return {
      level: 'warning',
      message: `${why}. Releasing anyway, as input 'allow-mutable-release' is true: deploy accepts this release only with 'allow-mutable-release: true'. Turn it on in the ${SETTING}.`,
    };
  }
  return {
    level: 'error',
    message:
      `${why}, so deploy would refuse the release this job is about to make. Nothing was created. ` +
      `Turn it on in the ${SETTING} and run this job again` +
      (evidence.from === 'release'
        ? ` (if it is on already, it was turned on after ${evidence.tag}: set 'allow-mutable-release: true' once)`
        : '') +
      `. ${OVERRIDE}`,
  };
}

/**
 * GitHub's setting, when the token may read it (Administration: read);
 * undefined when it may not (403) or the server has no such setting (404
 * is also GitHub's answer for "off", but an older server gives it too:
 * that case is left to the evidence of the releases and the publish).
 */
export async function readImmutabilitySetting(api: GitHubApi): Promise<boolean | undefined> {
  try {
    const { data } = await api.client.call<{ enabled?: unknown }>('GET /repos/{owner}/{repo}/immutable-releases', {});
    return typeof data.enabled === 'boolean' ? data.enabled : undefined;
  } catch (error) {
    if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404)) return undefined;
    throw error;
  }
}

/** Stops (or warns) before the tag is claimed when deploy would refuse the release; the evidence for checkPublished. */
export async function preflightImmutability(
  api: GitHubApi,
  releases: readonly Release[],
  allowMutable: boolean,
  log: ActionLog,
): Promise<ImmutabilityEvidence> {
  const newest = newestPublished(releases);
  const setting = newest?.immutable === true ? undefined : await readImmutabilitySetting(api);
  const evidence = immutabilityEvidence(newest, setting);
  const verdict = immutabilityVerdict(evidence, allowMutable);
  if (verdict.level === 'error') throw new ConfigurationError(verdict.message);
  if (verdict.level === 'warning') log.warning(verdict.message);
  return evidence;
}

/** After the publish: GitHub's answer says whether the release is immutable (when the preflight had no evidence). Pure. */
export function publishedVerdict(published: Release, allowMutable: boolean): Verdict {
  if (published.immutable !== false) return { level: 'ok' };
  const tag = published.tag_name;
  const what = `Published ${tag}, but GitHub did not make it immutable: release immutability is off for this repository`;
  if (allowMutable) {
    return {
      level: 'warning',
      message: `${what}. Deploy accepts it only with 'allow-mutable-release: true'. Turn it on in the ${SETTING}.`,
    };
  }
  return {
    level: 'error',
    message:
      `${what}. The release ${tag} exists, but deploy will refuse it until immutability is on: turn it on in the ${SETTING} and release again ` +
      `(only releases published after that are immutable). ${OVERRIDE}`,
  };
}
