/**
 * What changed from release A to release B. `brr diff` reads both through
 * the reader with the policy (readRelease: each must be a release deploy
 * would accept); the deploy summary's comparison with the release it
 * replaced reads that release's release.json and config through the digest
 * chain only (it was verified when it was deployed, and the comparison
 * decides nothing). Secrets are compared by name only: their values are
 * never in a release.
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
import { readConfig, readManifest } from './digest-chain.ts';
import { findRelease } from './find-release.ts';
import { type ReadOptions, readRelease } from './read-release.ts';

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

/** Both tags read as deploy would read them (the policy in `options`), then compared. */
export async function diffReleases(
  api: GitHubApi,
  from: string,
  to: string,
  options: Omit<ReadOptions, 'workDir'>,
): Promise<ReleaseDiff> {
  return inTempDir(async (workDir) => {
    const side = async (tag: string, dir: string): Promise<ReleaseSide> => {
      await mkdir(dir, { recursive: true });
      const verified = await readRelease(api, await findRelease(api, tag), { ...options, workDir: dir });
      return { manifest: verified.manifest, config: await readConfig(api, verified, dir) };
    };
    return diffSides(await side(from, path.join(workDir, 'a')), await side(to, path.join(workDir, 'b')));
  });
}

/** A release's release.json and config.env, read by the digest chain alone (deploy's summary). */
export async function readSide(api: GitHubApi, release: Release): Promise<ReleaseSide> {
  return inTempDir(async (workDir) => {
    const verified = await readManifest(api, release, workDir);
    return { manifest: verified.manifest, config: await readConfig(api, verified, workDir) };
  });
}

/** From a release read now by its digest chain to a side already read (deploy's summary: the release it deployed). */
export async function diffFromRelease(api: GitHubApi, from: Release, to: ReleaseSide): Promise<ReleaseDiff> {
  return diffSides(await readSide(api, from), to);
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
