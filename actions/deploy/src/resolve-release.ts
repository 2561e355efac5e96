/**
 * From what the user asked for (a tag, `latest`, `previous`, `current`) to one
 * published release of the environment. Drafts and releases the release
 * action did not make are refused with a message that says what the tag is
 * instead. What is chosen here is then read through the reader
 * (release-verify): nothing here is trusted yet.
 */
import { ConfigurationError, isTagName } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { MANIFEST_ASSET, parseMarker } from '@build-release-run/release-format';
import type { History } from './deployment-history.ts';
import type { TagRequest } from './inputs.ts';
import { type VerifiedManifest, findRelease } from '@build-release-run/release-verify';

export interface ResolvedRelease {
  release: Release;
  /** The environment's tag before this deploy when it had to be read (for `previous` and `current`). */
  current?: string;
  /** The release's manifest, when choosing it verified it already (`latest` of a release without a marker). */
  verified?: VerifiedManifest;
}

/** Verifies a candidate release's manifest (for `latest` with an environment, when its body has no marker). */
export type VerifyCandidate = (release: Release) => Promise<VerifiedManifest>;

// `latest` with an environment looks through this many newest releases.
const LATEST_SCAN = 30;

export async function resolveRelease(
  api: GitHubApi,
  request: TagRequest,
  env: string,
  verifyCandidate: VerifyCandidate,
  history: History,
): Promise<ResolvedRelease> {
  if (request.kind === 'tag') return { release: await findRelease(api, request.tag) };
  if (request.kind === 'latest') {
    return latestRelease(api, env, verifyCandidate, request.prereleases);
  }
  if (request.kind === 'current') {
    // What is live: the newest deployment that succeeded (deployment-history.ts).
    const [current] = await history(env, 1);
    if (current === undefined) {
      throw new ConfigurationError(
        `Input 'tag' is 'current', but nothing was ever deployed successfully to '${env}': there is nothing live to redeploy. Deploy a tag first (e.g. tag: v1).`,
      );
    }
    return { release: await findRelease(api, current), current };
  }
  const [current, target] = await history(env, 2);
  if (current === undefined) {
    throw new ConfigurationError(
      `Input 'tag' is 'previous', but nothing was ever deployed successfully to '${env}'. Deploy a tag first (e.g. tag: v1).`,
    );
  }
  if (target === undefined) {
    throw new ConfigurationError(
      `Input 'tag' is 'previous', but '${env}' has run only ${current}: there is no earlier release to roll back to. Deploy a specific tag instead.`,
    );
  }
  return { release: await findRelease(api, target), current };
}

async function latestRelease(
  api: GitHubApi,
  environment: string,
  verifyCandidate: VerifyCandidate,
  prereleases: boolean,
): Promise<ResolvedRelease> {
  // One page of releases, newest first. The body marker (a projection of
  // release.json, checked by its rules) names each release's environment
  // without a download; only a release without one has its manifest read.
  // The marker only chooses: the chosen release's manifest is verified next,
  // and deploy refuses it if that manifest names another environment.
  const published = (await api.listReleases())
    .filter(
      (release) =>
        !release.draft &&
        (prereleases || !release.prerelease) &&
        isTagName(release.tag_name) &&
        release.assets.some((asset) => asset.name === MANIFEST_ASSET),
    )
    .sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? '') || b.id - a.id)
    .slice(0, LATEST_SCAN);
  for (const release of published) {
    const marker = parseMarker(release.body);
    if (marker !== undefined) {
      if (marker.environment === environment) return { release };
      continue;
    }
    const verified = await verifyCandidate(release);
    if (verified.manifest.environment === environment) return { release, verified };
  }
  throw new ConfigurationError(
    `Input 'tag' is '${prereleases ? 'latest-prerelease' : 'latest'}', but none of the ${published.length} newest releases was made for environment '${environment}'. Release a build for it first, or give a tag.`,
  );
}
