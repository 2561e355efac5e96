import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  startTestGitHub,
  TEST_REPO,
  TEST_TOKEN,
  type TestGitHub,
  requestFailure,
} from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';

let gh: TestGitHub;
const it = conformingIt(() => gh.server);
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  gh = await startTestGitHub();
  octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
});

afterEach(async () => {
  await gh.close();
});

async function draftRelease() {
  return (await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1', draft: true })).data;
}

function upload(release: { id: number; upload_url: string }, name: string, data: Buffer) {
  return octokit.rest.repos.uploadReleaseAsset({
    ...TEST_REPO,
    release_id: release.id,
    url: release.upload_url,
    name,
    data: data as unknown as string,
    headers: { 'content-type': 'application/octet-stream', 'content-length': data.length },
  });
}

describe('faults', () => {
  it('answers 5xx on exactly the nth request to a route', async () => {
    const release = await draftRelease();
    gh.server.faults.add({ kind: 'status', route: 'repos/get-release', nth: 2, status: 503 });
    const get = () => octokit.rest.repos.getRelease({ ...TEST_REPO, release_id: release.id });
    expect((await get()).status).toBe(200);
    expect((await requestFailure(get())).status).toBe(503);
    expect((await get()).status).toBe(200);
  });

  it('answers a secondary rate limit with retry-after, for `times` requests', async () => {
    gh.server.faults.add({
      kind: 'secondary-rate-limit',
      route: 'repos/list-releases',
      status: 429,
      retryAfter: 7,
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const error = await requestFailure(octokit.rest.repos.listReleases({ ...TEST_REPO }));
      expect(error.status).toBe(429);
      expect(error.response?.headers['retry-after']).toBe('7');
      expect(JSON.stringify(error.response?.data)).toContain('secondary rate limit');
    }
    expect((await octokit.rest.repos.listReleases({ ...TEST_REPO })).status).toBe(200);
  });

  it('answers an exhausted primary rate limit with remaining 0 and a reset time', async () => {
    gh.server.faults.add({ kind: 'primary-rate-limit', route: 'repos/get-latest-release' });
    const error = await requestFailure(octokit.rest.repos.getLatestRelease({ ...TEST_REPO }));
    expect(error.status).toBe(403);
    expect(error.response?.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(error.response?.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(JSON.stringify(error.response?.data)).toContain('API rate limit exceeded');
  });

  it('resets the connection mid upload, leaving a starter asset that holds the name', async () => {
    const release = await draftRelease();
    gh.server.faults.add({ kind: 'reset', route: 'repos/upload-release-asset', afterBytes: 4096 });
    const bytes = Buffer.alloc(1024 * 1024, 3);
    await expect(upload(release, 'app.tar.gz', bytes)).rejects.toThrow();
    expect(gh.server.requests.find((r) => r.operationId === 'repos/upload-release-asset')?.status).toBe(0);

    const { data: assets } = await octokit.rest.repos.listReleaseAssets({ ...TEST_REPO, release_id: release.id });
    expect(assets).toMatchObject([{ name: 'app.tar.gz', state: 'starter' }]);
    expect((await requestFailure(upload(release, 'app.tar.gz', bytes))).status).toBe(422);
    await octokit.rest.repos.deleteReleaseAsset({ ...TEST_REPO, asset_id: assets[0]?.id as number });
    expect((await upload(release, 'app.tar.gz', bytes)).data.state).toBe('uploaded');
  });

  it('fails an upload with 502 after leaving the asset in state starter', async () => {
    const release = await draftRelease();
    gh.server.faults.add({ kind: 'upload-starter-502' });
    expect((await requestFailure(upload(release, 'a.bin', Buffer.from('abc')))).status).toBe(502);
    const { data: assets } = await octokit.rest.repos.listReleaseAssets({ ...TEST_REPO, release_id: release.id });
    expect(assets).toMatchObject([{ name: 'a.bin', state: 'starter', digest: null }]);
  });

  it('resets the connection mid download', async () => {
    const release = await draftRelease();
    const { data: asset } = await upload(release, 'a.bin', Buffer.alloc(2 * 1024 * 1024, 9));
    gh.server.faults.add({ kind: 'reset', route: 'storage', afterBytes: 100_000 });
    const redirect = await fetch(`${gh.server.url}/repos/octo/app/releases/assets/${asset.id}`, {
      headers: { authorization: `token ${TEST_TOKEN}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    const location = redirect.headers.get('location') as string;
    const truncated = await fetch(location);
    expect(truncated.status).toBe(200);
    await expect(truncated.arrayBuffer()).rejects.toThrow();
    const whole = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(whole.length).toBe(2 * 1024 * 1024);
  });

  it('drops a slowed download whose client hung up, instead of serving it to nobody later', async () => {
    const release = await draftRelease();
    const { data: asset } = await upload(release, 'a.bin', Buffer.alloc(1024, 9));
    const redirect = await fetch(`${gh.server.url}/repos/octo/app/releases/assets/${asset.id}`, {
      headers: { authorization: `token ${TEST_TOKEN}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    gh.server.faults.add({ kind: 'slow', route: 'storage', delayMs: 1500 });
    await expect(
      fetch(redirect.headers.get('location') as string, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    // Past the delay: a handler still waiting on it would have served the bytes and counted a download.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { data } = await octokit.rest.repos.getReleaseAsset({ ...TEST_REPO, asset_id: asset.id });
    expect(data.download_count).toBe(0);
  });

  it('resets the connection of any other request before answering', async () => {
    gh.server.faults.add({ kind: 'reset', route: 'repos/list-releases' });
    await expect(octokit.rest.repos.listReleases({ ...TEST_REPO })).rejects.toThrow();
    expect((await octokit.rest.repos.listReleases({ ...TEST_REPO })).status).toBe(200);
  });

  it('delays a response (slow) and still answers it', async () => {
    const id = gh.server.faults.add({ kind: 'slow', route: 'repos/list-releases', delayMs: 50 });
    expect((await octokit.rest.repos.listReleases({ ...TEST_REPO })).status).toBe(200);
    expect(gh.server.faults.fired()[id]).toBe(1);
  });

  it('takes faults and corruption through the control endpoint', async () => {
    const armed = await fetch(`${gh.server.url}/_control/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'status', route: 'repos/list-releases', status: 500 }),
    });
    expect(armed.status).toBe(201);
    expect((await requestFailure(octokit.rest.repos.listReleases({ ...TEST_REPO }))).status).toBe(500);
    const bad = await fetch(`${gh.server.url}/_control/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'nope' }),
    });
    expect(bad.status).toBe(400);

    const release = await draftRelease();
    const { data: asset } = await upload(release, 'a.bin', Buffer.alloc(10, 1));
    expect((await fetch(`${gh.server.url}/_control/assets/${asset.id}/corrupt`, { method: 'POST' })).status).toBe(204);
    const { data } = await octokit.rest.repos.getReleaseAsset({
      ...TEST_REPO,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    });
    expect(Buffer.from(data as unknown as ArrayBuffer).equals(Buffer.alloc(10, 1))).toBe(false);

    const log = (await (await fetch(`${gh.server.url}/_control/requests`)).json()) as { operationId?: string }[];
    expect(log.some((r) => r.operationId === 'repos/upload-release-asset')).toBe(true);
  });
});
