/**
 * Concurrency, faults and re-runs against the local GitHub server with
 * immutable releases on. Races use real processes (what runners are).
 */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import {
  type TestArchive,
  downloadRelease,
  releaseEnv,
  repositoryState,
  runReleaseInProcess,
  runReleaseProcess,
  writeTestArchive,
} from '@build-release-run/test-helpers/release-action';

let github: TestGitHub;
const it = conformingIt(() => github.server);
let work: string;
let archive: TestArchive;

/**
 * GitHub's description lists asset states 'uploaded' and 'open', yet GitHub
 * documents (and the server reproduces) a 'starter' asset after a cut upload;
 * listing one would be reported as a response violation. Response checks are
 * therefore on for the race and off where faults leave starters behind.
 */
async function start(validateResponses: boolean) {
  github = await startTestGitHub({ immutableReleases: true, validateResponses });
  work = await tempDir('brr-release-faults-');
  archive = await writeTestArchive(work, 'app', Buffer.alloc(3 * 1024 * 1024, 7));
}

afterEach(async () => {
  await github.close();
  await removeDir(work);
});

function env(runId: string, inputs: Record<string, string> = {}, attempt = '1') {
  return releaseEnv({
    server: github.server,
    workDir: work,
    commit: github.repo.commits.at(-1) as string,
    runId,
    attempt,
    inputs: { digest: archive.digest, archive: archive.file, environment: 'production', ...inputs },
  });
}

/** Every published release has all four assets, uploaded; nothing else is left. */
async function expectOnlyCompleteReleases(count: number) {
  const state = await repositoryState(github.server);
  expect(state.releases.filter((r) => r.draft)).toEqual([]);
  expect(state.releases).toHaveLength(count);
  for (const release of state.releases) {
    expect(release.assets.map((a) => `${a.name}:${a.state}`).sort()).toEqual(
      [archive.name, 'SHA256SUMS', 'config.env', 'release.json'].map((n) => `${n}:uploaded`).sort(),
    );
  }
  // No orphan tags: every tag belongs to a published release.
  expect(state.tags).toEqual(state.releases.map((r) => r.tag).sort());
  return state;
}

/** No request ever tried to change a release once it was published. */
function expectNoWriteToPublished() {
  const published = new Set<string>();
  for (const request of github.server.requests) {
    const id = /\/releases\/(\d+)/.exec(request.path)?.[1];
    const write = request.method !== 'GET';
    if (id && write && published.has(id))
      throw new Error(`${request.method} ${request.path} after release ${id} was published`);
    if (id && request.operationId === 'repos/update-release' && request.status === 200) published.add(id);
  }
}

describe('release under concurrency', () => {
  beforeEach(() => start(true));
  it('10 processes at once make 10 distinct, complete releases and nothing else', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        runReleaseProcess(await env(String(7000 + i), { config: `WORKER=${i}` })),
      ),
    );
    for (const result of results)
      expect({ code: result.code, failure: result.failure }).toEqual({ code: 0, failure: undefined });
    const tags = results.map((r) => r.outputs.tag).sort((a, b) => Number(a?.slice(1)) - Number(b?.slice(1)));
    expect(tags).toEqual(Array.from({ length: 10 }, (_, i) => `v${i + 1}`));
    await expectOnlyCompleteReleases(10);
    expectNoWriteToPublished();
  }, 120_000);
});

describe('release under faults', () => {
  beforeEach(() => start(false));
  it.each([
    ['a 502 on an upload', { kind: 'status', route: 'repos/upload-release-asset', status: 502 }],
    [
      'a reset in the middle of the archive upload',
      { kind: 'reset', route: 'repos/upload-release-asset', afterBytes: 1024 * 1024 },
    ],
    [
      'an upload that leaves a starter asset and answers 502',
      { kind: 'upload-starter-502', route: 'repos/upload-release-asset' },
    ],
    ['a secondary rate limit', { kind: 'secondary-rate-limit', route: 'repos/create-release', retryAfter: 1 }],
    ['a 503 on the publish', { kind: 'status', route: 'repos/update-release', status: 503 }],
    ['a 500 on the tag claim', { kind: 'status', route: 'git/create-ref', status: 500 }],
  ])('retries %s and completes', async (_name, fault) => {
    const id = github.server.faults.add(fault as never);
    const result = await runReleaseInProcess(await env('8000'));
    expect(result.failure).toBeUndefined();
    expect(github.server.faults.fired()[id]).toBeGreaterThan(0);
    expect(result.log).toMatch(/retrying in \d+ ms/);
    const state = await expectOnlyCompleteReleases(1);
    expect(state.releases[0]?.tag).toBe('v1');
    expectNoWriteToPublished();
    const dir = path.join(work, 'download');
    await mkdir(dir);
    await downloadRelease(github.server, 'v1', dir);
    execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });
  });

  it('fails clearly when retries run out, publishes nothing incomplete, and a re-run of the run completes it', async () => {
    github.server.faults.add({
      kind: 'status',
      route: 'repos/upload-release-asset',
      nth: 2,
      status: 502,
      times: 10,
    } as never);
    const failed = await runReleaseInProcess(await env('9000', { 'max-retries': '2' }));
    expect(failed.failure).toMatch(/upload.*failed with 502.*gave up after 3 attempts/);
    const state = await repositoryState(github.server);
    // A draft (invisible to readers) and its claimed tag; no published release.
    expect(state.releases.map((r) => [r.tag, r.draft])).toEqual([['v1', true]]);

    github.server.faults.clear();
    const rerun = await runReleaseInProcess(await env('9000', { 'max-retries': '2' }, '2'));
    expect(rerun.failure).toBeUndefined();
    expect(rerun.outputs.tag).toBe('v1');
    expect(rerun.log).toContain("Resuming this run's draft v1");
    await expectOnlyCompleteReleases(1);
    expectNoWriteToPublished();
    // The archive went up once: the re-run uploaded only what was missing.
    const archiveUploads = github.server.requests.filter(
      (r) => r.operationId === 'repos/upload-release-asset' && r.path.includes(archive.name) && r.status === 201,
    );
    expect(archiveUploads).toHaveLength(1);
  });

  it("checks each upload by GitHub's answer to it: an asset GitHub does not call uploaded is never published", async () => {
    // The upload of config.env is answered without its state: GitHub did not say it holds the file.
    github.server.faults.add({
      kind: 'break-response',
      route: 'repos/upload-release-asset',
      nth: 2,
      removeField: 'state',
    } as never);
    const result = await runReleaseInProcess(await env('9050'));
    expect(result.failure).toMatch(/Draft v1 is not complete, not publishing: config\.env is in state undefined/);
    const state = await repositoryState(github.server);
    expect(state.releases.map((r) => r.draft)).toEqual([true]);
    expect(github.server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('a re-run after the release was published reports it and changes nothing', async () => {
    const first = await runReleaseInProcess(await env('9100'));
    const writes = github.server.requests.filter((r) => r.method !== 'GET').length;
    const again = await runReleaseInProcess(await env('9100', {}, '2'));
    expect(again.outputs).toEqual(first.outputs);
    expect(github.server.requests.filter((r) => r.method !== 'GET')).toHaveLength(writes);
  });

  it("never publishes or reuses another run's draft", async () => {
    const other = await runReleaseInProcess(await env('9200'));
    expect(other.failure).toBeUndefined();
    github.server.faults.add({ kind: 'status', route: 'repos/update-release', status: 500, times: 10 } as never);
    const stuck = await runReleaseInProcess(await env('9300', { config: 'A=1', 'max-retries': '0' }));
    expect(stuck.failure).toMatch(/500/);
    github.server.faults.clear();
    // A different run with the same build and config makes its own release; the stray draft stays a draft.
    const mine = await runReleaseInProcess(await env('9400', { config: 'A=1' }));
    expect(mine.outputs.tag).toBe('v3');
    const state = await repositoryState(github.server);
    expect(state.releases.map((r) => [r.tag, r.draft]).sort()).toEqual([
      ['v1', false],
      ['v2', true],
      ['v3', false],
    ]);
  });
});
