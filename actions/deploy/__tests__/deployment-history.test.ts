import { describe, expect, it } from '@jest/globals';
import type { GitHubApi } from '@build-release-run/github-api';
import { historyOnce } from '../src/deployment-history.ts';

/** Deployments v3 (newest), v2, v1, all succeeded; `failFirst` makes the first statuses read fail. */
function fakeApi(failFirst: boolean) {
  const reads: number[] = [];
  const deployments = [3, 2, 1].map((n) => ({ id: n, ref: `v${n}`, created_at: `2026-12-0${n}T00:00:00Z` }));
  const api = {
    listDeployments: () => Promise.resolve(deployments),
    listDeploymentStatuses: (id: number) => {
      reads.push(id);
      if (failFirst && reads.length === 1) return Promise.reject(new Error('503 from the API'));
      return Promise.resolve([{ state: 'success' }]);
    },
  } as unknown as GitHubApi;
  return { api, reads };
}

describe('the deployment history, read as far as asked', () => {
  it('reads one deployment for what is live, then on from there for previous, none twice', async () => {
    const { api, reads } = fakeApi(false);
    const history = historyOnce(api);
    expect(await history('production', 1)).toEqual(['v3']);
    expect(reads).toEqual([3]);
    expect(await Promise.all([history('production', 2), history('production', 2)])).toEqual([
      ['v3', 'v2'],
      ['v3', 'v2'],
    ]);
    expect(reads).toEqual([3, 2]);
  });

  it('stays failed after a read fails: a later question never answers from past the unread deployment', async () => {
    const { api } = fakeApi(true);
    const history = historyOnce(api);
    await expect(history('production', 2)).rejects.toThrow('503 from the API');
    // v3 could not be read: answering v2 as live would name the wrong release.
    await expect(history('production', 1)).rejects.toThrow('503 from the API');
  });
});
