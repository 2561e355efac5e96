import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startTestGitHub, TEST_REPO, TEST_TOKEN, type TestGitHub } from '@build-release-run/test-helpers/github-server';
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

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('releases', () => {
  it('creates a published release and its tag at target_commitish', async () => {
    const [first] = gh.repo.commits;
    const { data, status: code } = await octokit.rest.repos.createRelease({
      ...TEST_REPO,
      tag_name: 'v1',
      target_commitish: first,
      name: 'One',
    });
    expect(code).toBe(201);
    expect(data).toMatchObject({
      tag_name: 'v1',
      draft: false,
      name: 'One',
      target_commitish: first,
      immutable: false,
    });
    expect(data.published_at).not.toBeNull();
    expect(data.upload_url).toBe(`${gh.server.uploadsUrl}/repos/octo/app/releases/${data.id}/assets{?name,label}`);
    expect(gh.repo.git('rev-parse', 'refs/tags/v1')).toBe(first);
  });

  it('keeps drafts invisible to get-by-tag and creates no tag until publishing', async () => {
    const { data: draft } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v2', draft: true });
    expect(draft.published_at).toBeNull();
    expect(gh.repo.git('tag', '--list')).toBe('');
    expect(await status(octokit.rest.repos.getReleaseByTag({ ...TEST_REPO, tag: 'v2' }))).toBe(404);
    const { data: listed } = await octokit.rest.repos.listReleases({ ...TEST_REPO });
    expect(listed.map((r) => r.id)).toEqual([draft.id]);

    const { data: published } = await octokit.rest.repos.updateRelease({
      ...TEST_REPO,
      release_id: draft.id,
      draft: false,
    });
    expect(published.draft).toBe(false);
    expect(gh.repo.git('rev-parse', 'refs/tags/v2')).toBe(gh.repo.commits.at(-1));
    const { data: byTag } = await octokit.rest.repos.getReleaseByTag({ ...TEST_REPO, tag: 'v2' });
    expect(byTag.id).toBe(draft.id);
  });

  it('refuses a second published release for the same tag with already_exists', async () => {
    await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    const error = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
        },
      },
    });
  });

  it('answers latest with the newest full release, skipping drafts and prereleases', async () => {
    expect(await status(octokit.rest.repos.getLatestRelease({ ...TEST_REPO }))).toBe(404);
    const { data: v1 } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v2-rc', prerelease: true });
    await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v3', draft: true });
    expect((await octokit.rest.repos.getLatestRelease({ ...TEST_REPO })).data.id).toBe(v1.id);
    const { data: v4 } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v4', make_latest: 'false' });
    expect((await octokit.rest.repos.getLatestRelease({ ...TEST_REPO })).data.id).toBe(v1.id);
    await octokit.rest.repos.updateRelease({ ...TEST_REPO, release_id: v4.id, make_latest: 'true' });
    expect((await octokit.rest.repos.getLatestRelease({ ...TEST_REPO })).data.id).toBe(v4.id);
  });

  it('paginates 250 releases with Link headers, newest first', async () => {
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) => {
          const n = batch * 25 + i + 1;
          return octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: `r${n}`, draft: n % 10 !== 0 });
        }),
      );
    }
    const first = await octokit.rest.repos.listReleases({ ...TEST_REPO, per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('page=3>; rel="last"');
    const all = await octokit.paginate(octokit.rest.repos.listReleases, { ...TEST_REPO, per_page: 100 });
    expect(all).toHaveLength(250);
    const ids = all.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(all.map((r) => r.tag_name)).size).toBe(250);
    const pages = gh.server.requests.filter((r) => r.operationId === 'repos/list-releases').map((r) => r.path);
    expect(pages.slice(-3)).toEqual([
      '/repos/octo/app/releases?per_page=100',
      '/repos/octo/app/releases?per_page=100&page=2',
      '/repos/octo/app/releases?per_page=100&page=3',
    ]);
  });

  it('refuses release notes over 125,000 characters, on create and on edit', async () => {
    const long = 'x'.repeat(125_001);
    const created = await octokit.rest.repos
      .createRelease({ ...TEST_REPO, tag_name: 'v1', body: long })
      .catch((e: unknown) => e);
    expect(created).toMatchObject({ status: 422, response: { data: { errors: [{ field: 'body' }] } } });
    const { data } = await octokit.rest.repos.createRelease({
      ...TEST_REPO,
      tag_name: 'v1',
      body: 'x'.repeat(125_000),
    });
    expect(await status(octokit.rest.repos.updateRelease({ ...TEST_REPO, release_id: data.id, body: long }))).toBe(422);
  });

  it('deletes a release', async () => {
    const { data } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    expect((await octokit.rest.repos.deleteRelease({ ...TEST_REPO, release_id: data.id })).status).toBe(204);
    expect(await status(octokit.rest.repos.getRelease({ ...TEST_REPO, release_id: data.id }))).toBe(404);
  });
});
