/**
 * What a failed call says: the request as sent (placeholders filled), the
 * status, GitHub's message and a hint the reader can act on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { GitHubApi, GitHubApiError, type GitHubRequest, hintFor } from '../src/index.ts';

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
});
