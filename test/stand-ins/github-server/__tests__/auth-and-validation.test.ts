import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  startTestGitHub,
  TEST_REPO,
  TEST_TOKEN,
  type TestGitHub,
  requestFailure,
} from '@build-release-run/test-helpers/github-server';

let gh: TestGitHub;

beforeEach(async () => {
  gh = await startTestGitHub({ readOnlyTokens: ['reader'] });
});

afterEach(async () => {
  await gh.close();
});

describe('authentication', () => {
  it('answers 401 without a token and with a bad one', async () => {
    const none = await fetch(`${gh.server.url}/repos/octo/app/releases`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'Requires authentication' });
    expect(none.headers.get('x-ratelimit-limit')).toBe('60');
    const bad = await requestFailure(
      getOctokit('wrong', { baseUrl: gh.server.url }).rest.repos.listReleases({ ...TEST_REPO }),
    );
    expect(bad.status).toBe(401);
    expect(bad.response?.data).toMatchObject({ message: 'Bad credentials' });
  });

  it('lets a read-only token read but not write', async () => {
    const reader = getOctokit('reader', { baseUrl: gh.server.url });
    expect((await reader.rest.repos.listReleases({ ...TEST_REPO })).status).toBe(200);
    const write = await requestFailure(reader.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' }));
    expect(write.status).toBe(403);
    expect(write.response?.data).toMatchObject({ message: 'Resource not accessible by integration' });
    expect(gh.repo.git('tag', '--list')).toBe('');
  });

  it('hides drafts from a read-only token, as from anyone without push access', async () => {
    const writer = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
    const { data: draft } = await writer.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v2', draft: true });
    const { data: published } = await writer.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    const reader = getOctokit('reader', { baseUrl: gh.server.url });
    expect((await reader.rest.repos.listReleases({ ...TEST_REPO })).data.map((r) => r.id)).toEqual([published.id]);
    expect((await requestFailure(reader.rest.repos.getRelease({ ...TEST_REPO, release_id: draft.id }))).status).toBe(
      404,
    );
    expect((await writer.rest.repos.getRelease({ ...TEST_REPO, release_id: draft.id })).data.draft).toBe(true);
  });

  it('sends rate-limit headers', async () => {
    const { headers } = await getOctokit(TEST_TOKEN, { baseUrl: gh.server.url }).rest.repos.listReleases({
      ...TEST_REPO,
    });
    expect(headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(headers['x-ratelimit-remaining'])).toBeLessThan(5000);
    expect(Number(headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(headers['x-ratelimit-resource']).toBe('core');
  });
});

describe('OpenAPI checks', () => {
  const octokit = (): ReturnType<typeof getOctokit> => getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });

  it('refuses make_latest: true (the description types it as a string) with a 422 in GitHub shape', async () => {
    const error = await requestFailure(
      octokit().request('POST /repos/{owner}/{repo}/releases', {
        ...TEST_REPO,
        tag_name: 'v1',
        make_latest: true as unknown as 'true',
      }),
    );
    expect(error.status).toBe(422);
    expect(error.response?.data).toEqual({
      message: "Invalid request.\n\nFor 'properties/make_latest', true is not a string.",
      documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
      status: '422',
    });
    expect((await octokit().rest.repos.listReleases({ ...TEST_REPO })).data).toEqual([]);
  });

  it('refuses a body missing a required field', async () => {
    const error = await requestFailure(
      octokit().request('POST /repos/{owner}/{repo}/git/refs', { ...TEST_REPO, ref: 'refs/tags/x' } as {
        owner: string;
        repo: string;
        ref: string;
        sha: string;
      }),
    );
    expect(error.status).toBe(422);
    expect(error.response?.data).toMatchObject({ message: 'Invalid request.\n\n"sha" wasn\'t supplied.' });
  });

  it('answers an unknown route and an unknown repository with 404 Not Found', async () => {
    const route = await requestFailure(octokit().request('GET /repos/{owner}/{repo}/no-such-thing', { ...TEST_REPO }));
    expect(route.status).toBe(404);
    expect(route.response?.data).toMatchObject({ message: 'Not Found' });
    const repo = await requestFailure(octokit().rest.repos.listReleases({ owner: 'octo', repo: 'other' }));
    expect(repo.status).toBe(404);
    const method = await requestFailure(octokit().request('PUT /repos/{owner}/{repo}/releases', { ...TEST_REPO }));
    expect(method.status).toBe(404);
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await fetch(`${gh.server.url}/repos/octo/app/releases`, {
      method: 'POST',
      headers: { authorization: `token ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: '{"tag_name":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'Problems parsing JSON' });
  });

  it('fails loudly when a response breaks the schema (a required field removed on purpose)', async () => {
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    gh.server.faults.add({ kind: 'break-response', route: 'repos/create-release', removeField: 'upload_url' });
    const error = await requestFailure(octokit().rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' }));
    expect(error.status).toBe(500);
    expect(JSON.stringify(error.response?.data)).toContain('\\"upload_url\\" wasn\'t supplied');
    expect(gh.server.responseViolations).toHaveLength(1);
    expect(gh.server.responseViolations[0]).toContain('repos/create-release 201');
    expect(printed).toHaveBeenCalledTimes(1);
    printed.mockRestore();
  });

  it('reports nothing when responses conform', async () => {
    await octokit().rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    expect(gh.server.responseViolations).toEqual([]);
  });
});
