/**
 * Claims a release ID by creating its tag ref at the built commit. Creating
 * a ref is atomic on GitHub (every other creator gets 422 "Reference already
 * exists"), so two racing jobs can never both own a version.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { type GitHubApi, GitHubApiError, peeledTag } from '@build-release-run/github-api';
import { type VersionRequest, firstCandidate, nextAfterConflict, tagOf } from './versioning.ts';

/** Enough for dozens of jobs racing on one repository; bounded so a bug cannot loop forever. */
export const MAX_CLAIMS = 50;

export async function claimVersion(
  api: GitHubApi,
  request: VersionRequest,
  taken: readonly string[],
  commit: string,
  now: Date,
  log: (message: string) => void,
): Promise<{ version: string; tag: string }> {
  let version: string | undefined = firstCandidate(request, taken, now);
  for (let attempt = 1; version !== undefined && attempt <= MAX_CLAIMS; attempt++) {
    const tag = tagOf(version);
    if ((await createTag(api, tag, commit)) === 'created') {
      log(`Claimed ${tag} (tag created at ${commit}).`);
      return { version, tag };
    }
    if (request.kind !== 'scheme') {
      throw new ConfigurationError(
        `Input 'version': ${tag} exists; releases are immutable; choose a new version (or a scheme such as patch or increment).`,
      );
    }
    log(`${tag} is taken (another release got it first); trying the next version.`);
    version = nextAfterConflict(request, version);
  }
  throw new Error(
    `Could not claim a free version after ${MAX_CLAIMS} attempts; too many releases are racing on this repository.`,
  );
}

/** Creates the tag; a commit GitHub does not know is the user's mistake, said as such. */
export async function createTag(api: GitHubApi, tag: string, commit: string): Promise<'created' | 'exists'> {
  try {
    return await api.createTagRef(tag, commit);
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 422) {
      throw new ConfigurationError(
        `Input 'commit': ${commit} cannot be tagged in this repository (${error.detail}); it must be a pushed commit (default: GITHUB_SHA).`,
      );
    }
    throw error;
  }
}

/**
 * `version: ref`: the tag exists already (it started the workflow), so it is
 * not claimed but checked: it must point at the built commit and carry no
 * release yet. Any other existing tag is still refused by claimVersion.
 */
export async function adoptPushedTag(
  api: GitHubApi,
  version: string,
  taken: readonly string[],
  commit: string,
  log: (message: string) => void,
): Promise<{ version: string; tag: string }> {
  const tag = tagOf(version);
  if (taken.includes(tag)) {
    throw new ConfigurationError(
      `Input 'version' is 'ref', but ${tag} already has a release; releases are immutable: push a new tag.`,
    );
  }
  const object = await peeledTag(api, tag);
  if (object === null) {
    throw new ConfigurationError(
      `Input 'version' is 'ref', but the tag ${tag} that started this run is not in the repository any more; push it again.`,
    );
  }
  if (object.type !== 'commit' || object.sha !== commit) {
    throw new ConfigurationError(
      `Input 'version' is 'ref', but ${tag} points at ${object.type} ${object.sha}, not at the built commit ${commit} ` +
        "(input 'commit', default GITHUB_SHA): a release must be the tagged code. Build the tagged commit, or move nothing and choose another version.",
    );
  }
  log(`Releasing onto the pushed tag ${tag} (at ${commit}).`);
  return { version, tag };
}
