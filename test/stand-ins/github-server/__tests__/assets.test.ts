import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { getOctokit } from '@actions/github';
import {
  startTestGitHub,
  TEST_REPO,
  TEST_TOKEN,
  type TestGitHub,
  requestFailure,
} from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';

type Octokit = ReturnType<typeof getOctokit>;

let gh: TestGitHub;
const it = conformingIt(() => gh.server);
let octokit: Octokit;

beforeEach(async () => {
  gh = await startTestGitHub();
  octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
});

afterEach(async () => {
  await gh.close();
});

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function draft(tag = 'v1') {
  return (await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: tag, draft: true })).data;
}

async function upload(release: { id: number; upload_url: string }, name: string, data: string | Buffer) {
  return octokit.rest.repos.uploadReleaseAsset({
    ...TEST_REPO,
    release_id: release.id,
    url: release.upload_url,
    name,
    // Octokit's types say string; a Buffer is what actions send for binary files.
    data: data as string,
    headers: { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(data) },
  });
}

describe('release assets', () => {
  it('uploads through upload_url on the uploads base, with a sha256 digest', async () => {
    const release = await draft();
    const bytes = Buffer.from('hello, assets\n');
    const { status, data } = await upload(release, 'app.tar.gz', bytes);
    expect(status).toBe(201);
    expect(data).toMatchObject({ name: 'app.tar.gz', state: 'uploaded', size: bytes.length, digest: sha256(bytes) });
    const uploadRequest = gh.server.requests.find((r) => r.operationId === 'repos/upload-release-asset');
    expect(uploadRequest?.path).toMatch(`/uploads/repos/octo/app/releases/${release.id}/assets?name=app.tar.gz`);

    const { data: listed } = await octokit.rest.repos.listReleaseAssets({ ...TEST_REPO, release_id: release.id });
    expect(listed.map((a) => a.id)).toEqual([data.id]);
    const { data: fetched } = await octokit.rest.repos.getRelease({ ...TEST_REPO, release_id: release.id });
    expect(fetched.assets.map((a) => a.digest)).toEqual([sha256(bytes)]);
  });

  it('refuses an upload on the API base: uploads live on their own host', async () => {
    const release = await draft();
    const error = await requestFailure(
      upload(
        { ...release, upload_url: `${gh.server.url}/repos/octo/app/releases/${release.id}/assets{?name,label}` },
        'a',
        'x',
      ),
    );
    expect(error.status).toBe(404);
  });

  it('downloads through a 302 to storage, and the bytes hash to digest', async () => {
    const release = await draft();
    const bytes = Buffer.alloc(300_000, 7);
    const { data: asset } = await upload(release, 'big.bin', bytes);

    const response = await fetch(`${gh.server.url}/repos/octo/app/releases/assets/${asset.id}`, {
      headers: { authorization: `token ${TEST_TOKEN}`, accept: 'application/octet-stream' },
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^${gh.server.url}/_storage/`));
    const stored = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(sha256(stored)).toBe(asset.digest);

    const viaOctokit = await octokit.rest.repos.getReleaseAsset({
      ...TEST_REPO,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    });
    expect(sha256(Buffer.from(viaOctokit.data as unknown as ArrayBuffer))).toBe(asset.digest);
    const { data: counted } = await octokit.rest.repos.getReleaseAsset({ ...TEST_REPO, asset_id: asset.id });
    expect(counted.download_count).toBe(2);
  });

  it('redirects browser_download_url of a published release to the bytes, not of a draft', async () => {
    const release = await draft();
    const { data: asset } = await upload(release, 'notes.txt', 'public bytes');
    expect((await fetch(asset.browser_download_url, { redirect: 'manual' })).status).toBe(404);
    await octokit.rest.repos.updateRelease({ ...TEST_REPO, release_id: release.id, draft: false });
    const { data: published } = await octokit.rest.repos.getReleaseAsset({ ...TEST_REPO, asset_id: asset.id });
    const response = await fetch(published.browser_download_url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('public bytes');
  });

  it('refuses a storage URL with a bad signature', async () => {
    const release = await draft();
    const { data: asset } = await upload(release, 'a.txt', 'abc');
    const response = await fetch(`${gh.server.url}/_storage/assets/${asset.id}/a.txt?expires=9999999999&signature=00`);
    expect(response.status).toBe(403);
  });

  it('answers 422 already_exists for a duplicate name', async () => {
    const release = await draft();
    await upload(release, 'same.txt', 'one');
    const error = await requestFailure(upload(release, 'same.txt', 'two'));
    expect(error.status).toBe(422);
    expect(error.response?.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
    });
  });

  it('renames, relabels and deletes an asset', async () => {
    const release = await draft();
    const { data: asset } = await upload(release, 'a.txt', 'abc');
    const { data: renamed } = await octokit.rest.repos.updateReleaseAsset({
      ...TEST_REPO,
      asset_id: asset.id,
      name: 'b.txt',
      label: 'B',
    });
    expect(renamed).toMatchObject({ name: 'b.txt', label: 'B' });
    expect((await octokit.rest.repos.deleteReleaseAsset({ ...TEST_REPO, asset_id: asset.id })).status).toBe(204);
    expect(
      (await requestFailure(octokit.rest.repos.getReleaseAsset({ ...TEST_REPO, asset_id: asset.id }))).status,
    ).toBe(404);
  });

  it('serves a corrupted asset whose bytes no longer hash to digest', async () => {
    const release = await draft();
    const { data: asset } = await upload(release, 'a.bin', Buffer.alloc(1000, 1));
    await gh.server.corruptAsset(asset.id);
    const { data } = await octokit.rest.repos.getReleaseAsset({
      ...TEST_REPO,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    });
    const bytes = Buffer.from(data as unknown as ArrayBuffer);
    expect(bytes.length).toBe(1000);
    expect(sha256(bytes)).not.toBe(asset.digest);
  });
});

describe('immutable releases', () => {
  beforeEach(() => gh.server.setImmutableReleases('octo/app', true));

  it('lets a draft take assets, then refuses uploads once published', async () => {
    const release = await draft('v1');
    const { data: asset } = await upload(release, 'before.txt', 'ok');
    const { data: published } = await octokit.rest.repos.updateRelease({
      ...TEST_REPO,
      release_id: release.id,
      draft: false,
    });
    expect(published.immutable).toBe(true);
    const error = await requestFailure(upload(published, 'after.txt', 'too late'));
    expect(error.status).toBe(422);
    expect(error.response?.data).toMatchObject({ message: 'Cannot upload assets to an immutable release.' });
    expect(
      (await requestFailure(octokit.rest.repos.deleteReleaseAsset({ ...TEST_REPO, asset_id: asset.id }))).status,
    ).toBe(422);
  });

  it('still lets title, notes, prerelease and make_latest change, and nothing else', async () => {
    const { data: v1 } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v2' });
    const edit = (change: Record<string, unknown>) =>
      octokit.rest.repos.updateRelease({ ...TEST_REPO, release_id: v1.id, ...change });

    expect((await edit({ name: 'Title' })).data.name).toBe('Title');
    expect((await edit({ body: 'Notes' })).data.body).toBe('Notes');
    expect((await edit({ prerelease: true })).data.prerelease).toBe(true);
    expect((await edit({ prerelease: false })).data.prerelease).toBe(false);
    await edit({ make_latest: 'true' });
    expect((await octokit.rest.repos.getLatestRelease(TEST_REPO)).data.tag_name).toBe('v1');

    for (const [field, value] of [
      ['tag_name', 'v9'],
      ['target_commitish', gh.repo.commits[0]],
      ['draft', true],
    ] as const) {
      const refused = await requestFailure(edit({ [field]: value }));
      expect({ field, status: refused.status, data: refused.response?.data }).toMatchObject({
        field,
        status: 422,
        data: { errors: [{ field }] },
      });
    }
    const { data: after } = await octokit.rest.repos.getRelease({ ...TEST_REPO, release_id: v1.id });
    expect(after).toMatchObject({ tag_name: 'v1', draft: false, immutable: true, name: 'Title', body: 'Notes' });
  });

  it('keeps the tag: no retagging, no moving or deleting the ref, no reuse after delete', async () => {
    const { data: release } = await octokit.rest.repos.createRelease({
      ...TEST_REPO,
      tag_name: 'v1',
      target_commitish: gh.repo.commits[0],
    });
    expect(release.immutable).toBe(true);
    expect(
      (await requestFailure(octokit.rest.repos.updateRelease({ ...TEST_REPO, release_id: release.id, tag_name: 'v9' })))
        .status,
    ).toBe(422);
    const { data: renamed } = await octokit.rest.repos.updateRelease({
      ...TEST_REPO,
      release_id: release.id,
      name: 'New title',
      body: 'notes',
    });
    expect(renamed).toMatchObject({ name: 'New title', body: 'notes', tag_name: 'v1' });
    const moved = await requestFailure(
      octokit.rest.git.updateRef({ ...TEST_REPO, ref: 'tags/v1', sha: gh.repo.commits[1] as string, force: true }),
    );
    expect(moved.status).toBe(422);
    expect((await requestFailure(octokit.rest.git.deleteRef({ ...TEST_REPO, ref: 'tags/v1' }))).status).toBe(422);

    await octokit.rest.repos.deleteRelease({ ...TEST_REPO, release_id: release.id });
    const reuse = await requestFailure(octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' }));
    expect(reuse.status).toBe(422);
    expect(JSON.stringify(reuse.response?.data)).toContain('tag_name was used by an immutable release');
  });
});
