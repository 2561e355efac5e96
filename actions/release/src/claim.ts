/**
 * Claims a release ID by creating its tag ref at the built commit. Creating
 * a ref is atomic on GitHub (every other creator gets 422 "Reference already
 * exists"), so two racing jobs can never both own a version.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { type GitHubApi, GitHubApiError } from '@build-release-run/github-api';
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
    if (request.kind === 'explicit') {
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
