/**
 * Decisions taken from one page of the releases list: is this run's release
 * already there (published: report it; draft: resume it), which release is
 * the previous one of this environment, which tags are taken. Pure.
 */
import type { Digest } from '@build-release-run/contract';
import type { Release } from '@build-release-run/github-api';
import { type ReleaseMarker, parseMarker } from '@build-release-run/release-format';

export interface ReleaseIdentity {
  run: string;
  environment: string;
  digest: Digest;
  config: Digest;
}

export type Existing =
  | { kind: 'published'; release: Release; marker: ReleaseMarker }
  | { kind: 'draft'; release: Release; marker: ReleaseMarker }
  | { kind: 'none' };

/**
 * This run's own release for the same build, config and environment. A
 * published one wins over a draft (the draft would be a stray). Drafts and
 * releases of other runs are never ours, whatever they contain.
 */
export function findOwnRelease(releases: readonly Release[], identity: ReleaseIdentity): Existing {
  let draft: Existing = { kind: 'none' };
  for (const release of releases) {
    const marker = parseMarker(release.body);
    if (
      !marker ||
      marker.run !== identity.run ||
      marker.environment !== identity.environment ||
      marker.digest !== identity.digest ||
      marker.config !== identity.config
    ) {
      continue;
    }
    if (!release.draft) return { kind: 'published', release, marker };
    if (draft.kind === 'none') draft = { kind: 'draft', release, marker };
  }
  return draft;
}

/** The newest published release this action made for `environment`. */
export function findPrevious(
  releases: readonly Release[],
  environment: string,
): { release: Release; marker: ReleaseMarker } | undefined {
  for (const release of releases) {
    if (release.draft) continue;
    const marker = parseMarker(release.body);
    if (marker && marker.environment === environment) return { release, marker };
  }
  return undefined;
}

/** The newest published release of another environment with this build: what this release promotes. */
export function findPromotedFrom(
  releases: readonly Release[],
  environment: string,
  digest: Digest,
): { tag: string; environment: string } | undefined {
  for (const release of releases) {
    if (release.draft) continue;
    const marker = parseMarker(release.body);
    if (marker && marker.digest === digest && marker.environment !== environment) {
      return { tag: release.tag_name, environment: marker.environment };
    }
  }
  return undefined;
}

/** Tags a new release must not take: every release's and draft's tag. */
export function takenTags(releases: readonly Release[]): string[] {
  return releases.map((release) => release.tag_name);
}
