import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { startGitHubServer, type GitHubServer } from '../src/index.ts';
import { makeGitRepo, TEST_REPO, TEST_TOKEN, type GitFixtureRepo } from '@build-release-run/test-helpers/github-server';

let repo: GitFixtureRepo;
let dataDir: string;
const servers: GitHubServer[] = [];

beforeEach(async () => {
  repo = await makeGitRepo(1);
  dataDir = await mkdtemp(path.join(tmpdir(), 'brr-data-'));
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await repo.remove();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ server: GitHubServer; octokit: ReturnType<typeof getOctokit> }> {
  const server = await startGitHubServer({
    repos: { 'octo/app': repo.path },
    token: TEST_TOKEN,
    dataDir,
    immutableReleases: true,
    validateResponses: true,
  });
  servers.push(server);
  return { server, octokit: getOctokit(TEST_TOKEN, { baseUrl: server.url }) };
}

describe('a data folder', () => {
  it('keeps releases, assets and deployments across a restart', async () => {
    const first = await start();
    const { data: release } = await first.octokit.rest.repos.createRelease({
      ...TEST_REPO,
      tag_name: 'v1',
      draft: true,
    });
    const { data: asset } = await first.octokit.rest.repos.uploadReleaseAsset({
      ...TEST_REPO,
      release_id: release.id,
      url: release.upload_url,
      name: 'a.txt',
      data: 'kept bytes',
      headers: { 'content-type': 'text/plain', 'content-length': 10 },
    });
    await first.octokit.rest.repos.updateRelease({ ...TEST_REPO, release_id: release.id, draft: false });
    const { data: deployment } = await first.octokit.rest.repos.createDeployment({
      ...TEST_REPO,
      ref: 'main',
      required_contexts: [],
    });
    await first.server.close();
    servers.length = 0;

    const second = await start();
    const { data: again } = await second.octokit.rest.repos.getReleaseByTag({ ...TEST_REPO, tag: 'v1' });
    expect(again).toMatchObject({ id: release.id, immutable: true, assets: [{ id: asset.id, digest: asset.digest }] });
    const { data: bytes } = await second.octokit.rest.repos.getReleaseAsset({
      ...TEST_REPO,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    });
    expect(Buffer.from(bytes as unknown as ArrayBuffer).toString()).toBe('kept bytes');
    expect((await second.octokit.rest.repos.listDeployments({ ...TEST_REPO })).data.map((d) => d.id)).toEqual([
      (deployment as { id: number }).id,
    ]);
    const { data: next } = await second.octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v2', draft: true });
    expect(next.id).toBeGreaterThan((deployment as { id: number }).id);
    expect(second.server.responseViolations).toEqual([]);
  });
});
