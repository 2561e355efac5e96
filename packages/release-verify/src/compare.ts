/**
 * What changed from release A to release B (`brr diff`, the deploy summary's
 * comparison with the release it replaced). Both manifests are verified as
 * deploy verifies them; each config is checked against its manifest,
 * SHA256SUMS and GitHub's digest before it is read. Secrets are compared by
 * name only: their values are never in a release.
 */
import path from 'node:path';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import {
  type ConfigChange,
  type ReleaseConfig,
  type ReleaseManifest,
  diffConfig,
} from '@build-release-run/release-format';
import { releaseForTag } from './find-release.ts';
import { verifiedConfig, verifyManifest } from './verify-release.ts';

export interface ReleaseDiff {
  from: { tag: string; environment: string; commit: string; buildDigest: string };
  to: { tag: string; environment: string; commit: string; buildDigest: string };
  sameBuild: boolean;
  config: ConfigChange[];
}

/** A release's verified manifest and config: one side of a comparison. */
export interface ReleaseSide {
  manifest: ReleaseManifest;
  config: ReleaseConfig;
}

export async function diffReleases(api: GitHubApi, from: string, to: string): Promise<ReleaseDiff> {
  return inTempDir(async (workDir) => {
    const a = await readSide(api, await releaseForTag(api, from), path.join(workDir, 'a'));
    const b = await readSide(api, await releaseForTag(api, to), path.join(workDir, 'b'));
    return diffSides(a, b);
  });
}

/** From a release read now to a side already verified (deploy's summary: the release it just deployed). */
export async function diffFromRelease(api: GitHubApi, from: Release, to: ReleaseSide): Promise<ReleaseDiff> {
  return inTempDir(async (workDir) => diffSides(await readSide(api, from, workDir), to));
}

function diffSides(a: ReleaseSide, b: ReleaseSide): ReleaseDiff {
  const side = (manifest: ReleaseManifest) => ({
    tag: manifest.tag,
    environment: manifest.environment,
    commit: manifest.build.commit,
    buildDigest: manifest.build.digest,
  });
  return {
    from: side(a.manifest),
    to: side(b.manifest),
    sameBuild: a.manifest.build.digest === b.manifest.build.digest,
    config: diffConfig(a.config, b.config),
  };
}

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'brr-diff-'));
  try {
    return await work(workDir);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function readSide(api: GitHubApi, release: Release, dir: string): Promise<ReleaseSide> {
  await mkdir(dir, { recursive: true });
  const verified = await verifyManifest(api, release, dir);
  return { manifest: verified.manifest, config: await verifiedConfig(api, release, verified, dir) };
}
