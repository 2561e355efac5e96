/**
 * What a failed call says: the request as sent (placeholders filled), the
 * status, GitHub's message and a hint the reader can act on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { GitHubApi, GitHubApiError, type GitHubRequest, explainTokenError, hintFor } from '../src/index.ts';

describe('hintFor', () => {
  it.each<[number, string, string[], RegExp | '']>([
    [401, 'Bad credentials', [], /did not accept the token.*missing, mistyped, expired or revoked/],
    [403, 'Resource not accessible by integration', [], /may not do this.*contents: write.*deployments: write/],
    [403, 'API rate limit exceeded for installation', [], /rate limit to reset/],
    [404, 'Not Found', [], /repository name \(owner\/name\).*scope.*permissions/],
    [422, 'Validation Failed', ['already_exists'], /invalid \(already_exists\); its message says what to change/],
    [422, 'Validation Failed', [], /invalid; its message says/],
    [500, 'boom', [], ''],
    [0, 'ECONNRESET', [], ''],
  ])('%d %s', (status, message, codes, hint) => {
    if (hint === '') expect(hintFor(status, message, codes)).toBe('');
    else expect(hintFor(status, message, codes)).toMatch(hint);
  });
});

describe('a failed call against the local server', () => {
  let github: TestGitHub;
  let request: GitHubRequest;
  beforeAll(async () => {
    github = await startTestGitHub();
    const octokit = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
    request = (route, parameters) => octokit.request(route, parameters);
  });
  afterAll(() => github.close());

  it('names the real path, the status, GitHub’s message and the 404 hint', async () => {
    const api = new GitHubApi({ request, repository: 'octo/nothing-here', retry: { retries: 0 } });
    const error = await api.listReleases().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(GitHubApiError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^GitHub API GET \/repos\/octo\/nothing-here\/releases\?per_page=100&page=1 failed with 404: /,
    );
    expect(message).not.toContain('{owner}');
    expect(message).toMatch(/Hint: check the repository name/);
  });

  it('says the 401 hint for a refused token', async () => {
    const octokit = getOctokit('not-the-token', { baseUrl: github.server.url });
    const api = new GitHubApi({
      request: (route, parameters) => octokit.request(route, parameters),
      repository: 'octo/app',
      retry: { retries: 0 },
    });
    await expect(api.listReleases()).rejects.toThrow(
      /GET \/repos\/octo\/app\/releases.* failed with 401: .*Hint: GitHub did not accept the token/,
    );
  });

  /** What a job token with `permissions` is told when `call` on a private repository is refused, deploy's own guess beside it. */
  async function refusal(permissions: Record<string, 'read' | 'write'>, call: (api: GitHubApi) => Promise<unknown>) {
    const server = await startTestGitHub({ visibility: { 'octo/app': 'private' } });
    try {
      return await refusedAs(server, permissions, call);
    } finally {
      await server.close();
    }
  }

  async function refusedAs(
    server: TestGitHub,
    permissions: Record<string, 'read' | 'write'>,
    call: (api: GitHubApi) => Promise<unknown>,
  ) {
    const octokit = getOctokit(server.server.issueToken('octo/app', permissions), { baseUrl: server.server.url });
    const api = new GitHubApi({
      request: (route, parameters) => octokit.request(route, parameters),
      repository: 'octo/app',
      retry: { retries: 0 },
    });
    const error = await call(api).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    return explainTokenError(error, 'record deployments', "'permissions: deployments: write'");
  }

  it.each<[string, Record<string, 'read' | 'write'>, (api: GitHubApi) => Promise<unknown>, RegExp]>([
    [
      'an attestations read names attestations: read',
      { contents: 'read', deployments: 'write' },
      (api) =>
        api.client.call('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
          subject_digest: `sha256:${'a'.repeat(64)}`,
        }),
      /^Input 'token' may not make this request \(GET \/repos\/\{owner\}\/\{repo\}\/attestations\/\{subject_digest\}\) \(Resource not accessible by integration\)\. Give the job 'permissions: attestations: read', or pass/,
    ],
    [
      'a release write names contents: write',
      { contents: 'read' },
      (api) => api.createRelease({ tag_name: 'v1', draft: true }, async () => undefined),
      /Give the job 'permissions: contents: write', or pass/,
    ],
  ])('%s (from GitHub’s x-accepted-github-permissions)', async (_name, permissions, call, expected) => {
    expect(await refusal(permissions, call)).toMatch(expected);
  });
});
