/**
 * What a new release reads of its environment's history before it is made:
 * the previous release's config (for the diff and the reset guard) and
 * GitHub's list of pull requests merged since then (for the notes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ActionLog } from '@build-release-run/action-kit';
import { errorMessage } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { findRelease, readConfig, readManifest } from '@build-release-run/release-verify';
import { CONFIG_ASSET, type ReleaseConfig } from '@build-release-run/release-format';
import { type ChangeEntry, parseChangeList } from './change-list.ts';
import type { ReleaseMarker } from '@build-release-run/release-format';

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

/**
 * The previous release's config, for the notes' diff and the reset guard:
 * the release the marker chose, read through the one reader (its
 * release.json verified against GitHub's digest and SHA256SUMS, then
 * config.env against all three). Anything that does not verify is a
 * warning, and the diff lists every key as added.
 */
export async function readPreviousConfig(
  api: GitHubApi,
  releases: readonly Release[],
  marker: ReleaseMarker,
  runnerTemp: string,
  log: ActionLog,
): Promise<ReleaseConfig | null> {
  if (!marker.previous) return null;
  const { tag } = marker.previous;
  const dir = await mkdtemp(path.join(runnerTemp, 'brr-previous-'));
  try {
    const listed = releases.find((r) => r.tag_name === tag && !r.draft);
    const release = listed ?? (await findRelease(api, tag));
    return await readConfig(api, await readManifest(api, release, dir), dir);
  } catch (error) {
    log.warning(
      `Could not read ${CONFIG_ASSET} of ${tag} (${errorMessage(error)}); the config diff lists every key as added.`,
    );
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
