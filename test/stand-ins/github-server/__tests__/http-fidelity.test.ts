// HTTP details GitHub's own clients rely on (found by running `gh` and an
// independent OpenAPI validator against the server): HEAD, links built for
// the host the client reached, Location on creations, nothing on a 204.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { getOctokit } from '@actions/github';
import { startTestGitHub, TEST_REPO, TEST_TOKEN, type TestGitHub } from '@build-release-run/test-helpers/github-server';

let gh: TestGitHub;
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  gh = await startTestGitHub();
  octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
});

afterEach(async () => {
  await gh.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with the headers given as they are (fetch would not send a Host of our choosing). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const { port } = new URL(gh.server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { authorization: `token ${TEST_TOKEN}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('HEAD', () => {
  it('answers as GET does, with the same status and headers and no body', async () => {
    const { data: release } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    for (const path of [`/repos/octo/app/releases/${release.id}`, '/repos/octo/app/releases?per_page=1']) {
      const get = await raw('GET', path);
      const head = await raw('HEAD', path);
      expect({ path, status: head.status, body: head.body }).toEqual({ path, status: 200, body: '' });
      for (const name of ['content-type', 'content-length', 'x-github-media-type', 'x-ratelimit-limit']) {
        expect({ path, name, value: head.headers[name] }).toEqual({ path, name, value: get.headers[name] });
      }
    }
    expect((await raw('HEAD', '/repos/octo/app/releases/999999')).status).toBe(404);
    expect(gh.server.responseViolations).toEqual([]);
  });
});

describe('links', () => {
  it('are built from the Host the client sent: url, upload_url, browser_download_url, Location', async () => {
    const host = 'api.github.localhost:8080';
    const created = await raw(
      'POST',
      '/repos/octo/app/releases',
      { host, 'content-type': 'application/json' },
      JSON.stringify({ tag_name: 'v1', draft: true }),
    );
    expect(created.status).toBe(201);
    const release = JSON.parse(created.body) as { id: number; url: string; upload_url: string };
    expect(release.url).toBe(`http://${host}/repos/octo/app/releases/${release.id}`);
    expect(release.upload_url).toBe(`http://${host}/uploads/repos/octo/app/releases/${release.id}/assets{?name,label}`);
    expect(created.headers.location).toBe(release.url);

    await raw(
      'POST',
      `/uploads/repos/octo/app/releases/${release.id}/assets?name=a.txt`,
      {
        host,
        'content-type': 'text/plain',
      },
      'a',
    );
    await octokit.rest.repos.updateRelease({ ...TEST_REPO, release_id: release.id, draft: false });
    const listed = JSON.parse((await raw('GET', '/repos/octo/app/releases/tags/v1', { host })).body) as {
      assets: { url: string; browser_download_url: string }[];
    };
    expect(listed.assets[0]!.url).toMatch(new RegExp(`^http://${host}/repos/octo/app/releases/assets/\\d+$`));
    expect(listed.assets[0]!.browser_download_url).toBe(`http://${host}/octo/app/releases/download/v1/a.txt`);
  });

  it('fall back to the listening address when the Host is malformed', async () => {
    const { data: release } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    for (const host of ['evil.example/path?', 'a b', 'x@y']) {
      const fetched = JSON.parse((await raw('GET', `/repos/octo/app/releases/${release.id}`, { host })).body) as {
        url: string;
      };
      expect({ host, url: fetched.url }).toEqual({
        host,
        url: `${gh.server.url}/repos/octo/app/releases/${release.id}`,
      });
    }
  });
});

describe('answers to writes', () => {
  it('send Location with the new resource on every 201 of the API host, and not on uploads', async () => {
    const release = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1', draft: true });
    const ref = await octokit.rest.git.createRef({ ...TEST_REPO, ref: 'refs/heads/topic', sha: gh.repo.commits[0]! });
    const deployment = await octokit.rest.repos.createDeployment({
      ...TEST_REPO,
      ref: 'main',
      auto_merge: false,
      required_contexts: [],
    });
    const deploymentId = (deployment.data as { id: number }).id;
    const status = await octokit.rest.repos.createDeploymentStatus({
      ...TEST_REPO,
      deployment_id: deploymentId,
      state: 'success',
    });
    const label = await octokit.rest.issues.createLabel({ ...TEST_REPO, name: 'bug' });
    for (const answer of [release, ref, deployment, status, label]) {
      const url = (answer.data as { url: string }).url;
      expect({ url, status: answer.status, location: answer.headers.location }).toEqual({
        url,
        status: 201,
        location: url,
      });
    }
    const uploaded = await octokit.rest.repos.uploadReleaseAsset({
      ...TEST_REPO,
      release_id: release.data.id,
      url: release.data.upload_url,
      name: 'a.txt',
      data: 'a',
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.headers.location).toBeUndefined();
    expect(gh.server.responseViolations).toEqual([]);
  });

  it('send no Content-Length (and no body) with a 204', async () => {
    const { data: release } = await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1' });
    const deleted = await raw('DELETE', `/repos/octo/app/releases/${release.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.headers['content-length']).toBeUndefined();
    expect(deleted.body).toBe('');
  });
});
