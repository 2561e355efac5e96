/**
 * A published release of this repository made by the release action, by its
 * tag: drafts, bare git tags and releases without release.json are refused
 * with a message that says what the tag is instead. Every reader of a
 * release by its tag (deploy, from-release, brr) starts here; then
 * readRelease (read-release.ts).
 */
import { ConfigurationError, TAG_NAME, isTagName, logText, nameError } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { MANIFEST_ASSET } from '@build-release-run/release-format';

/** `input`: the input (or argument) that named the tag, for the errors. */
export async function findRelease(api: GitHubApi, tag: string, input = 'tag'): Promise<Release> {
  const release = await api.getReleaseByTag(tag);
  if (release !== null) {
    requireReleaseTag(release);
    requireManifest(release, input);
    return release;
  }
  // GitHub never returns a draft by tag: list releases to tell a draft from nothing.
  const draft = (await api.listReleases()).find((candidate) => candidate.tag_name === tag && candidate.draft);
  if (draft !== undefined) {
    throw new ConfigurationError(
      `Input '${input}' is '${tag}', which is a draft release, not a published one: a draft may still change. Publish it (or re-run its release job) and try again.`,
    );
  }
  const ref = await api.getRef(`tags/${tag}`);
  if (ref !== null) {
    throw new ConfigurationError(
      `Input '${input}' is '${tag}', which is a git tag without a release. Give a tag made by the release action (see the repository's Releases page).`,
    );
  }
  throw new ConfigurationError(
    `Input '${input}' is '${tag}', but the repository has no release or tag of that name. Check the Releases page for the tag${input === 'tag' ? " to deploy, or use 'latest'" : ''}.`,
  );
}

/** A tag from the API is untrusted text: it must be a tag the release action could have made. */
export function requireReleaseTag(release: Release): void {
  if (isTagName(release.tag_name)) return;
  throw new ConfigurationError(
    `${nameError(TAG_NAME, release.tag_name, 'The release tag GitHub returned')} The release action never makes such a tag; deploy a tag it made.`,
  );
}

export function requireManifest(release: Release, input = 'tag'): void {
  if (release.assets.some((asset) => asset.name === MANIFEST_ASSET)) return;
  const names = release.assets.map((asset) => logText(asset.name));
  throw new ConfigurationError(
    `Input '${input}' is '${release.tag_name}', a release that the release action did not make: it has no ${MANIFEST_ASSET} (its assets: ${names.length === 0 ? 'none' : names.join(', ')}). Give a tag made by the release action.`,
  );
}
