/**
 * Checks of a release against what its writer cannot forge by writing
 * releases: GitHub's immutability flag (assets and tag locked at publish),
 * the commit the tag points at in git, and the build digest the caller
 * expects. The assets only check each other; these anchor them.
 */
import { ConfigurationError, type Digest } from '@build-release-run/contract';
import { type GitHubApi, type Release, peeledTag } from '@build-release-run/github-api';
import type { ReleaseManifest } from '@build-release-run/release-format';
import { VerificationError } from './errors.ts';

/** Refuses a release GitHub does not mark immutable, unless the workflow accepts mutable ones. */
export function checkImmutable(release: Release, inputs: { allowMutableRelease: boolean }): void {
  if (release.immutable === true || inputs.allowMutableRelease) return;
  throw new ConfigurationError(
    `Release ${release.tag_name} is not immutable: anyone who can write releases could have replaced its assets or moved its tag, so it is not trusted by default. ` +
      "Turn on release immutability (repository Settings → General → Releases → 'Enable release immutability', or the organization's policy), then make a new release; " +
      "or set input 'allow-mutable-release: true' to accept mutable releases.",
  );
}

/** Refuses a build other than the one the caller pinned with input 'digest' (undefined: any). */
export function checkExpectedDigest(manifest: ReleaseManifest, expected: Digest | undefined): void {
  if (expected === undefined || expected === manifest.build.digest) return;
  throw new ConfigurationError(
    `Input 'digest' is ${expected}, but ${manifest.tag} carries build ${manifest.build.digest}. ` +
      'Give the tag that was released for that build, or drop the digest input.',
  );
}

/**
 * The commit the tag points at, read from git through the API (an annotated
 * tag is peeled), must be the commit the manifest says was built.
 */
export async function checkTagCommit(api: GitHubApi, manifest: ReleaseManifest): Promise<void> {
  const object = await peeledTag(api, manifest.tag);
  if (object === null) {
    throw new VerificationError(
      `${manifest.tag}: the release has no git tag of that name; a published release always has one, so it was deleted. Refusing to use it.`,
    );
  }
  if (object.type !== 'commit' || object.sha !== manifest.build.commit) {
    throw new VerificationError(
      `${manifest.tag}: the tag points at ${object.type} ${object.sha}, but its release.json says build.commit ${manifest.build.commit}. ` +
        'The tag was moved after the release was made; refusing to use it.',
    );
  }
}
