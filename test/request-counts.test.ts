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
 * Upper bounds, not locks: a new check may lower a count or spend one
 * request under its bound (docs/performance.md has the breakdown). A
 * release: one page of releases (the version, this run's draft, the
 * previous release), the previous release's release.json and config.env
 * (read through the reader for the notes' diff and the reset guard), the
 * tag claim, the attestation, generate-notes, the draft, 4 uploads (each
 * checked by GitHub's answer), the publish. A deploy: the release (by tag
 * or one page), its release.json (SHA256SUMS is checked against GitHub's
 * digest of it), the tag's commit, the history (a page of deployments and
 * the statuses until the successes asked for: one, two for `previous` and a
 * redeploy), 2 attestation reads, the deployment and 2 statuses, config.env
 * and the archive, and for the summary the replaced release with its
 * release.json and config.env.
 */
const BUDGET = { release: 12, tag: 15, previous: 16, latest: 15, current: 13 } as const;

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

  it.each([
    ['tag', 5],
    ['previous', 5],
    ['latest', 5],
    ['current', 3],
  ] as const)(
    "a deploy (tag: %s) downloads %i assets: its release's release.json, config.env and archive, and for the summary the release.json and config.env of a release it replaces",
    (kind, count) => {
      const { requests } = counts.deploys[kind];
      // Each at most once (repeatedReads above); a redeploy (`current`) compares with nothing.
      expect(requests.filter((r) => r.path.includes('/releases/assets/'))).toHaveLength(count);
    },
  );
});
