// Installation tokens (a job's GITHUB_TOKEN): issued for one repository
// with GitHub App permissions, answered as GitHub answers them: 403
// "Resource not accessible by integration" naming the accepted permission,
// reads of a public repository allowed, another private repository hidden,
// drafts only to tokens that may push, 401 once revoked.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { IMPLEMENTED_OPERATIONS, type GitHubServer } from '@build-release-run/github-server';
import {
  type GitFixtureRepo,
  TEST_TOKEN,
  startPublicAndPrivateGitHub,
  requestFailure,
} from '@build-release-run/test-helpers/github-server';
import { OPERATION_PERMISSIONS } from '../src/permissions.ts';

const PRIVATE = { owner: 'octo', repo: 'secret' };
const PUBLIC = { owner: 'octo', repo: 'app' };

let server: GitHubServer;
let git: GitFixtureRepo;
beforeAll(async () => {
  const github = await startPublicAndPrivateGitHub();
  server = github.server;
  git = github.repo;
  const admin = getOctokit(TEST_TOKEN, { baseUrl: server.url });
  for (const repo of [PRIVATE, PUBLIC]) {
    await admin.rest.repos.createRelease({ ...repo, tag_name: 'v1', target_commitish: 'main' });
    await admin.rest.repos.createRelease({ ...repo, tag_name: 'v2-draft', draft: true });
  }
});
afterAll(async () => {
  expect(server.responseViolations).toEqual([]);
  await server.close();
  await git.remove();
});

const as = (token: string): ReturnType<typeof getOctokit> => getOctokit(token, { baseUrl: server.url });

describe('the permission table', () => {
  it('names what every served operation needs of an installation token', () => {
    expect(IMPLEMENTED_OPERATIONS.filter((op) => OPERATION_PERMISSIONS[op] === undefined)).toEqual([]);
  });
});

describe('an installation token', () => {
  it('with contents: read reads releases but cannot create one; the 403 names contents=write', async () => {
    const token = server.issueToken('octo/secret', { contents: 'read' });
    expect(token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    const reads = await as(token).rest.repos.listReleases({ ...PRIVATE });
    expect(reads.data.map((r) => r.tag_name)).toEqual(['v1']);
    expect(reads.headers['x-accepted-github-permissions']).toBe('contents=read');
    const write = await requestFailure(as(token).rest.repos.createRelease({ ...PRIVATE, tag_name: 'v3' }));
    expect(write.status).toBe(403);
    expect(write.response?.data).toMatchObject({ message: 'Resource not accessible by integration' });
    expect(write.response?.headers['x-accepted-github-permissions']).toBe('contents=write');
    const tag = await requestFailure(
      as(token).rest.git.createRef({ ...PRIVATE, ref: 'refs/tags/v3', sha: git.commits[0]! }),
    );
    expect(tag.status).toBe(403);
    expect(git.git('tag', '--list')).not.toContain('v3');
  });

  it('with no permissions ({}) cannot read a private repository, but reads a public one', async () => {
    const token = server.issueToken('octo/secret', {});
    const read = await requestFailure(as(token).rest.repos.listReleases({ ...PRIVATE }));
    expect(read.status).toBe(403);
    expect(read.response?.data).toMatchObject({ message: 'Resource not accessible by integration' });
    const own = server.issueToken('octo/app', {});
    expect((await as(own).rest.repos.listReleases({ ...PUBLIC })).data.map((r) => r.tag_name)).toEqual(['v1']);
    expect((await requestFailure(as(own).rest.repos.createRelease({ ...PUBLIC, tag_name: 'v9' }))).status).toBe(403);
  });

  it('cannot check release immutability, even of a public repository: it needs administration: read', async () => {
    const token = server.issueToken('octo/app', { contents: 'write', deployments: 'write', attestations: 'write' });
    const check = await requestFailure(as(token).request('GET /repos/{owner}/{repo}/immutable-releases', PUBLIC));
    expect(check.status).toBe(403);
    expect(check.response?.headers['x-accepted-github-permissions']).toBe('administration=read');
    // An administrator's token is answered: 404 while the setting is off, 200 once it is on.
    const admin = getOctokit(TEST_TOKEN, { baseUrl: server.url });
    const off = await requestFailure(admin.request('GET /repos/{owner}/{repo}/immutable-releases', PUBLIC));
    expect(off.status).toBe(404);
    server.setImmutableReleases('octo/app', true);
    try {
      const on = await admin.request('GET /repos/{owner}/{repo}/immutable-releases', PUBLIC);
      expect(on.data).toEqual({ enabled: true, enforced_by_owner: false });
    } finally {
      server.setImmutableReleases('octo/app', false);
    }
  });

  it('sees drafts only with contents: write', async () => {
    const reader = server.issueToken('octo/secret', { contents: 'read' });
    const writer = server.issueToken('octo/secret', { contents: 'write' });
    expect((await as(reader).rest.repos.listReleases({ ...PRIVATE })).data.map((r) => r.draft)).toEqual([false]);
    expect((await as(writer).rest.repos.listReleases({ ...PRIVATE })).data.map((r) => r.draft)).toEqual([true, false]);
  });

  it('of another repository does not see a private one (404) and may only read a public one', async () => {
    const token = server.issueToken('octo/app', { contents: 'write', deployments: 'write' });
    expect((await requestFailure(as(token).rest.repos.listReleases({ ...PRIVATE }))).status).toBe(404);
    const other = server.issueToken('octo/secret', { contents: 'write' });
    expect((await as(other).rest.repos.listReleases({ ...PUBLIC })).data.map((r) => r.draft)).toEqual([false]);
    expect((await requestFailure(as(other).rest.repos.createRelease({ ...PUBLIC, tag_name: 'v8' }))).status).toBe(403);
  });

  it('needs deployments for deployments and attestations for attestations', async () => {
    const contentsOnly = server.issueToken('octo/secret', { contents: 'write' });
    const deploy = requestFailure(
      as(contentsOnly).rest.repos.createDeployment({
        ...PRIVATE,
        ref: 'main',
        auto_merge: false,
        required_contexts: [],
      }),
    );
    expect((await deploy).status).toBe(403);
    expect((await deploy).response?.headers['x-accepted-github-permissions']).toBe('deployments=write');
    const deployer = server.issueToken('octo/secret', { deployments: 'write' });
    const created = await as(deployer).rest.repos.createDeployment({
      ...PRIVATE,
      ref: 'main',
      auto_merge: false,
      required_contexts: [],
    });
    expect(created.status).toBe(201);
    const digest = `sha256:${'ab'.repeat(32)}`;
    const list = requestFailure(as(contentsOnly).rest.repos.listAttestations({ ...PRIVATE, subject_digest: digest }));
    expect((await list).status).toBe(403);
    expect((await list).response?.headers['x-accepted-github-permissions']).toBe('attestations=read');
    const reader = server.issueToken('octo/secret', { attestations: 'read' });
    const store = requestFailure(as(reader).rest.repos.createAttestation({ ...PRIVATE, bundle: {} }));
    expect((await store).status).toBe(403);
    expect((await store).response?.headers['x-accepted-github-permissions']).toBe('attestations=write');
  });

  it('answers 401 once revoked, as a job token after its job', async () => {
    const token = server.issueToken('octo/secret', { contents: 'read' });
    const ended = await fetch(`${server.url}/_control/tokens`, {
      method: 'DELETE',
      headers: { authorization: `token ${token}` },
    });
    expect(ended.status).toBe(204);
    const after = await requestFailure(as(token).rest.repos.listReleases({ ...PRIVATE }));
    expect(after.status).toBe(401);
    expect(after.response?.data).toMatchObject({ message: 'Bad credentials' });
  });
});

describe('issuing over HTTP', () => {
  const issue = (authorization: string | undefined, body: unknown): Promise<Response> =>
    fetch(`${server.url}/_control/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });

  it('gives a token with exactly the permissions asked (none dropped, metadata read added)', async () => {
    const response = await issue(`token ${TEST_TOKEN}`, {
      repository: 'octo/secret',
      permissions: { contents: 'write', issues: 'none', attestations: 'read' },
    });
    expect(response.status).toBe(201);
    const issued = (await response.json()) as { token: string; permissions: Record<string, string> };
    expect(issued.permissions).toEqual({ contents: 'write', attestations: 'read', metadata: 'read' });
    expect((await as(issued.token).rest.repos.listReleases({ ...PRIVATE })).status).toBe(200);
  });

  it("refuses anyone but a holder of the server's write tokens: a job cannot raise its own token", async () => {
    const jobToken = server.issueToken('octo/secret', { contents: 'write' });
    for (const authorization of [undefined, 'token reader', `token ${jobToken}`]) {
      const response = await issue(authorization, { repository: 'octo/secret', permissions: { contents: 'write' } });
      expect(response.status).toBe(401);
    }
  });

  it('refuses an unknown repository and a permission level that is not read, write or none', async () => {
    expect((await issue(`token ${TEST_TOKEN}`, { repository: 'octo/nope', permissions: {} })).status).toBe(422);
    const bad = await issue(`token ${TEST_TOKEN}`, { repository: 'octo/app', permissions: { contents: 'admin' } });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ message: expect.stringContaining("'read', 'write' or 'none'") });
  });
});
