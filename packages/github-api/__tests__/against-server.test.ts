/**
 * The gateway over real HTTP: getOctokit's request against the local GitHub
 * server, with the server's faults. What deploy relies on is here too
 * (streamed download through the 302, deployments and statuses).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { GitHubApi, type GitHubRequest } from '../src/index.ts';

let github: TestGitHub;
let work: string;
let api: GitHubApi;
const logs: string[] = [];

beforeEach(async () => {
  // Response checks off: a cut upload leaves a 'starter' asset, a state GitHub
  // documents but its OpenAPI description does not list.
  github = await startTestGitHub({ validateResponses: false });
  work = await tempDir('brr-github-api-');
  const octokit = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
  const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
  api = new GitHubApi({ request, repository: 'octo/app', retry: { baseDelayMs: 10 }, log: (m) => logs.push(m) });
});

afterEach(async () => {
  await github.close();
  await removeDir(work);
});

async function bigFile(mib: number): Promise<{ file: string; digest: string; size: number }> {
  const bytes = randomBytes(mib * 1024 * 1024);
  const file = path.join(work, 'big.bin');
  await writeFile(file, bytes);
  return { file, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
}

describe('GitHubApi against the local server', () => {
  it('uploads a file to upload_url and downloads it through the 302, both streamed, surviving resets', async () => {
    const draft = await api.createRelease({ tag_name: 'v1', draft: true });
    const source = await bigFile(5);
    github.server.faults.add({ kind: 'reset', route: 'repos/upload-release-asset', afterBytes: 1024 * 1024 });
    const asset = await api.uploadReleaseAsset(draft, { name: 'big.bin', ...source });
    expect(asset).toMatchObject({ name: 'big.bin', state: 'uploaded', size: source.size, digest: source.digest });
    expect((await api.listReleaseAssets(draft.id)).map((a) => a.name)).toEqual(['big.bin']);

    github.server.faults.add({ kind: 'reset', route: 'storage', afterBytes: 2 * 1024 * 1024 });
    const target = path.join(work, 'downloaded.bin');
    const got = await api.downloadReleaseAsset(asset.id, target);
    expect(got).toEqual({ size: source.size, digest: source.digest });
    expect(
      createHash('sha256')
        .update(await readFile(target))
        .digest('hex'),
    ).toBe(source.digest.slice(7));
    expect(logs.filter((m) => m.includes('retrying'))).toHaveLength(2);
  });

  it('claims a tag once: a second claim reports it taken', async () => {
    const commit = github.repo.commits.at(-1) as string;
    expect(await api.createTagRef('v9', commit)).toBe('created');
    expect(await api.createTagRef('v9', commit)).toBe('exists');
    expect((await api.getRef('tags/v9'))?.object.sha).toBe(commit);
    expect(await api.getRef('tags/none')).toBeNull();
  });

  it('publishes a draft, finds it by tag, and reads null for what is not there', async () => {
    const draft = await api.createRelease({ tag_name: 'v2', draft: true, target_commitish: 'main' });
    expect(await api.getReleaseByTag('v2')).toBeNull();
    const published = await api.publishDraft(draft.id);
    expect(published.draft).toBe(false);
    expect((await api.getReleaseByTag('v2'))?.id).toBe(draft.id);
    expect((await api.listReleases()).map((r) => r.tag_name)).toEqual(['v2']);
  });

  it('creates a deployment and statuses (description cut to 140 characters), and lists them', async () => {
    const created = await api.createDeployment({ ref: 'main', environment: 'staging', description: 'deploy v1' });
    if (!created.created) throw new Error(created.message);
    const status = await api.createDeploymentStatus(created.deployment.id, {
      state: 'success',
      description: 'd'.repeat(300),
      environment_url: 'https://staging.example',
    });
    expect([...(status.description ?? '')]).toHaveLength(140);
    expect((await api.listDeployments({ environment: 'staging' })).map((d) => d.id)).toEqual([created.deployment.id]);
    expect((await api.listDeploymentStatuses(created.deployment.id)).map((s) => s.state)).toEqual(['success']);
  });
});
