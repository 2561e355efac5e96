/**
 * GitHub API requests per release and per deploy, through the bundled
 * actions (dist/, `pnpm bundle` first) against the local server holding 150
 * other releases (more than one page of 100): nothing is read twice, and
 * each count stays within its budget whatever the number of releases. The
 * benches print the same scenario with 0 and 1,000 releases.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestLogEntry } from '@build-release-run/github-server';
import {
  type MeasuredCounts,
  attestationRequests,
  measureCounts,
} from '@build-release-run/test-helpers/request-counts';

/**
 * The budgets (docs/performance.md has the breakdown). A release: one page
 * of releases (the previous release's config is the copy in its notes), the
 * tag claim, the attestation, generate-notes, the draft, 4 uploads (each
 * checked by GitHub's answer), the publish. A deploy: the release (by tag or
 * one page), release.json (SHA256SUMS is checked against GitHub's digest of
 * it, config.env is the copy in the notes), the tag's commit, the history (a
 * page of deployments and the statuses until the successes asked for: one,
 * two for `previous` and a redeploy), 2 attestation reads, the deployment
 * and 2 statuses, the archive, and for the summary the replaced release
 * (its notes, vouched for by GitHub's digests).
 */
const BUDGET = { release: 10, tag: 12, previous: 13, latest: 12, current: 12 } as const;

let counts: MeasuredCounts;
beforeAll(async () => {
  counts = await measureCounts(150);
}, 120_000);

/** Reads (GET) made more than once: each is a request a count could do without. */
function repeatedReads(requests: readonly RequestLogEntry[]): string[] {
  const reads = requests.filter((r) => r.method === 'GET').map((r) => r.path);
  return reads.filter((read, index) => reads.indexOf(read) !== index);
}

describe('API requests with 150 other releases', () => {
  it('a release with its 4 assets reads nothing twice and stays within its budget', () => {
    const { requests } = counts.release;
    expect(repeatedReads(requests)).toEqual([]);
    expect(requests.filter((r) => r.path.startsWith('/repos/octo/app/releases?'))).toHaveLength(1);
    expect(requests.filter((r) => r.path.startsWith('/uploads/'))).toHaveLength(4);
    expect(attestationRequests(requests)).toBe(1);
    expect(requests.length).toBeLessThanOrEqual(BUDGET.release);
  });

  it.each(['tag', 'previous', 'latest', 'current'] as const)(
    'a deploy (tag: %s) reads nothing twice and stays within its budget',
    (kind) => {
      const { requests } = counts.deploys[kind];
      expect(repeatedReads(requests)).toEqual([]);
      // One page of deployments, at most one page of releases, whatever exists.
      expect(requests.filter((r) => r.path.includes('/deployments?'))).toHaveLength(1);
      expect(requests.filter((r) => r.path.startsWith('/repos/octo/app/releases?')).length).toBeLessThanOrEqual(1);
      expect(attestationRequests(requests)).toBe(2);
      expect(requests.length).toBeLessThanOrEqual(BUDGET[kind]);
    },
  );

  it('`latest` of an environment chooses from one page of releases and verifies only the release it chose', () => {
    const { requests } = counts.deploys.latest;
    expect(requests[0]?.path).toBe('/repos/octo/app/releases?per_page=100&page=1');
    // Before the deployment is created: release.json of the chosen release, nothing else.
    const created = requests.findIndex((r) => r.method === 'POST' && r.path.endsWith('/deployments'));
    const downloads = requests.slice(0, created).filter((r) => r.path.includes('/releases/assets/'));
    expect(downloads).toHaveLength(1);
  });

  it.each(['tag', 'previous', 'latest', 'current'] as const)(
    'a deploy (tag: %s) downloads release.json and the archive, and nothing of the release it replaces',
    (kind) => {
      const { requests } = counts.deploys[kind];
      expect(requests.filter((r) => r.path.includes('/releases/assets/'))).toHaveLength(2);
    },
  );
});
