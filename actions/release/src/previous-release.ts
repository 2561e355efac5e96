/**
 * What a new release reads of its environment's history before it is made:
 * the previous release's config (for the diff and the reset guard) and
 * GitHub's list of pull requests merged since then (for the notes).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ActionLog } from '@build-release-run/action-kit';
import type { GitHubApi, Release, ReleaseAsset } from '@build-release-run/github-api';
import { MAX_SMALL_ASSET } from '@build-release-run/release-verify';
import {
  CONFIG_ASSET,
  type ReleaseConfig,
  configCopyOf,
  digestOf,
  parseConfigEnv,
} from '@build-release-run/release-format';
import { type ChangeEntry, parseChangeList } from './change-list.ts';
import type { ReleaseMarker } from '@build-release-run/release-format';
import { errorMessage } from '@build-release-run/contract';

/** GitHub's pull requests since the previous release of this environment; the notes go without them on failure. */
export async function readChangeList(
  api: GitHubApi,
  tag: string,
  commit: string,
  previousTag: string | undefined,
  log: ActionLog,
): Promise<ChangeEntry[] | undefined> {
  try {
    const generated = await api.generateReleaseNotes({
      tag_name: tag,
      target_commitish: commit,
      ...(previousTag ? { previous_tag_name: previousTag } : {}),
    });
    return parseChangeList(generated.body);
  } catch (error) {
    log.warning(
      `GitHub could not list the pull requests of ${tag} (${errorMessage(error)}); the notes go without them.`,
    );
    return undefined;
  }
}

export async function readPreviousConfig(
  api: GitHubApi,
  releases: readonly Release[],
  marker: ReleaseMarker,
  runnerTemp: string,
  log: ActionLog,
): Promise<ReleaseConfig | null> {
  if (!marker.previous) return null;
  const { tag } = marker.previous;
  const release = releases.find((r) => r.tag_name === tag && !r.draft) ?? (await api.getReleaseByTag(tag));
  const asset = release?.assets.find((a) => a.name === CONFIG_ASSET);
  if (!release || !asset) {
    log.warning(`Previous release ${tag} has no ${CONFIG_ASSET}; the config diff lists every key as added.`);
    return null;
  }
  try {
    return parseConfigEnv(await previousConfigText(api, release, asset, runnerTemp));
  } catch (error) {
    log.warning(
      `Could not read ${CONFIG_ASSET} of ${tag} (${errorMessage(error)}); the config diff lists every key as added.`,
    );
    return null;
  }
}

/** The body's copy when GitHub's digest of the asset vouches for it (config-copy.ts), else the asset, downloaded. */
async function previousConfigText(
  api: GitHubApi,
  release: Release,
  asset: ReleaseAsset,
  runnerTemp: string,
): Promise<string> {
  const copy = configCopyOf(release.body);
  if (copy !== undefined && asset.digest && digestOf(copy) === asset.digest) return copy;
  const dir = await mkdtemp(path.join(runnerTemp, 'brr-previous-'));
  try {
    const file = path.join(dir, CONFIG_ASSET);
    // Read for the notes' config diff only: never more than a config can be.
    await api.downloadReleaseAsset(asset.id, file, CONFIG_ASSET, Math.min(asset.size, MAX_SMALL_ASSET));
    return await readFile(file, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
