/**
 * The gateway's own decisions, driven by a scripted request function that
 * answers (or throws) the way @octokit/request does. Real HTTP (uploads,
 * 302 downloads, faults) is covered against the local GitHub server in the
 * release action's tests.
 */
import { describe, expect, it } from '@jest/globals';
import {
  GitHubApi,
  GitHubApiError,
  type GitHubResponse,
  isPermissionError,
  truncateDescription,
} from '../src/index.ts';

type Answer = GitHubResponse<unknown> | { throws: unknown };

/** Plays `answers` in order, recording each call; throws like @octokit/request. */
function scripted(answers: Answer[]) {
  const calls: { route: string; params: Record<string, unknown> }[] = [];
  const sleeps: number[] = [];
  const request = async (route: string, params: Record<string, unknown> = {}) => {
    // Every call goes through the client's transport (timeouts, proxy): checked in transport.test.ts.
    const { request: transport, ...rest } = params as { request?: { fetch?: unknown } };
    if (typeof transport?.fetch !== 'function') throw new Error(`${route} was sent without the transport's fetch`);
    calls.push({ route, params: rest });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${route}`);
    if ('throws' in answer) throw answer.throws;
    return answer;
  };
  const api = new GitHubApi({
    request,
    repository: 'octo/app',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    retry: { retries: 2, baseDelayMs: 10 },
  });
  return { api, calls, sleeps };
}

function ok(data: unknown, status = 200): GitHubResponse<unknown> {
  return { status, url: '', headers: {}, data };
}

function httpError(status: number, message: string, headers: Record<string, string> = {}, errors?: unknown[]) {
  return {
    throws: Object.assign(new Error(message), {
      status,
      response: { status, headers, data: { message, ...(errors ? { errors } : {}) } },
    }),
  };
}

function reset() {
  // What @octokit/request throws when fetch gets no response.
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  return { throws: Object.assign(new Error('read ECONNRESET'), { status: 500, cause }) };
}

describe('GitHubApi', () => {
  it('fills owner and repo into every route', async () => {
    const { api, calls } = scripted([ok([])]);
    await api.listReleases(2, 50);
    expect(calls[0]).toEqual({
      route: 'GET /repos/{owner}/{repo}/releases',
      params: { owner: 'octo', repo: 'app', per_page: 50, page: 2 },
    });
  });

  it('retries a 5xx and a reset with backoff, then succeeds', async () => {
    const { api, calls, sleeps } = scripted([httpError(502, 'Bad Gateway'), reset(), ok([{ id: 1 }])]);
    expect(await api.listReleases()).toEqual([{ id: 1 }]);
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([10, 20]);
    expect(api.requestCount).toBe(3);
  });

  it('honours retry-after on a secondary rate limit', async () => {
    const { api, sleeps } = scripted([httpError(403, 'secondary rate limit', { 'retry-after': '2' }), ok([])]);
    await api.listReleases();
    expect(sleeps).toEqual([2000]);
  });

  it('says it gave up when retries run out', async () => {
    const { api } = scripted([httpError(500, 'boom'), httpError(500, 'boom'), httpError(500, 'boom')]);
    await expect(api.listReleases()).rejects.toThrow(
      'GitHub API GET /repos/{owner}/{repo}/releases failed with 500: boom (gave up after 3 attempts)',
    );
  });

  it('does not retry a permission error, and names it', async () => {
    const { api, calls } = scripted([httpError(403, 'Resource not accessible by integration')]);
    const error = await api.createTagRef('v1', 'a'.repeat(40)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(isPermissionError(error)).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('reports an existing tag as a lost claim, and other 422s as errors', async () => {
    const { api } = scripted([
      httpError(422, 'Reference already exists'),
      httpError(422, 'Object does not exist'),
      ok({ ref: 'refs/tags/v2' }, 201),
    ]);
    expect(await api.createTagRef('v1', 'a'.repeat(40))).toBe('exists');
    await expect(api.createTagRef('v1', 'b'.repeat(40))).rejects.toThrow(/Object does not exist/);
    expect(await api.createTagRef('v2', 'a'.repeat(40))).toBe('created');
  });

  it('reads a release back before retrying a publish, so a published release is never patched again', async () => {
    const { api, calls } = scripted([reset(), ok({ id: 7, draft: false })]);
    expect(await api.publishDraft(7)).toEqual({ id: 7, draft: false });
    expect(calls.map((c) => c.route)).toEqual([
      'PATCH /repos/{owner}/{repo}/releases/{release_id}',
      'GET /repos/{owner}/{repo}/releases/{release_id}',
    ]);
  });

  it('asks reconcile before retrying a release creation', async () => {
    const { api, calls } = scripted([reset()]);
    const release = await api.createRelease({ tag_name: 'v1', draft: true }, async () => ({ id: 3 }) as never);
    expect(release).toEqual({ id: 3 });
    expect(calls).toHaveLength(1);
  });

  it('maps null for 404 on reads', async () => {
    const { api } = scripted([httpError(404, 'Not Found')]);
    expect(await api.getReleaseByTag('v9')).toBeNull();
  });

  it('creates deployments without auto-merge or required contexts, and reports a 202', async () => {
    const { api, calls } = scripted([ok({ id: 5 }, 201), ok({ message: 'Auto-merged main into topic' }, 202)]);
    expect(await api.createDeployment({ ref: 'v1', environment: 'prod' })).toEqual({
      created: true,
      deployment: { id: 5 },
    });
    expect(await api.createDeployment({ ref: 'v1', environment: 'prod' })).toEqual({
      created: false,
      message: 'Auto-merged main into topic',
    });
    expect(calls[0]?.params).toMatchObject({ auto_merge: false, required_contexts: [] });
  });

  it('cuts a status description to 140 characters', async () => {
    const { api, calls } = scripted([ok({ id: 1 }, 201)]);
    await api.createDeploymentStatus(5, { state: 'success', description: 'x'.repeat(200) });
    const sent = calls[0]?.params.description as string;
    expect([...sent]).toHaveLength(140);
    expect(sent.endsWith('…')).toBe(true);
    expect(truncateDescription('short')).toBe('short');
  });

  it('deletes a starter leftover before re-uploading an asset', async () => {
    const { api, calls } = scripted([
      httpError(502, 'Bad Gateway'),
      ok([{ id: 40, name: 'a.txt', state: 'starter', size: 0 }]),
      ok(undefined, 204),
      ok({ id: 41, name: 'a.txt', state: 'uploaded', size: 3 }, 201),
    ]);
    const asset = await api.uploadReleaseAsset(
      { id: 9, upload_url: 'http://127.0.0.1:1/uploads/repos/octo/app/releases/9/assets{?name,label}' },
      { name: 'a.txt', bytes: Buffer.from('abc'), size: 3 },
    );
    expect(asset.id).toBe(41);
    expect(calls.map((c) => c.route)).toEqual([
      'POST http://127.0.0.1:1/uploads/repos/octo/app/releases/9/assets?name=a.txt',
      'GET /repos/{owner}/{repo}/releases/{release_id}/assets',
      'DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}',
      'POST http://127.0.0.1:1/uploads/repos/octo/app/releases/9/assets?name=a.txt',
    ]);
    expect(calls[0]?.params.headers).toEqual({ 'content-type': 'application/octet-stream' });
  });

  it('takes an upload whose response was lost but whose asset is complete', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const { api, calls } = scripted([reset(), ok([{ id: 40, name: 'a.txt', state: 'uploaded', size: 3, digest }])]);
    const asset = await api.uploadReleaseAsset(
      { id: 9, upload_url: 'http://h/uploads/assets{?name,label}' },
      { name: 'a.txt', bytes: Buffer.from('abc'), size: 3, digest },
    );
    expect(asset.id).toBe(40);
    expect(calls).toHaveLength(2);
  });
});
