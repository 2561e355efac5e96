import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  requestFailure,
  startTestGitHub,
  TEST_REPO,
  TEST_TOKEN,
  type TestGitHub,
} from '@build-release-run/test-helpers/github-server';

let gh: TestGitHub;
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  gh = await startTestGitHub();
  octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
});

afterEach(async () => {
  await gh.close();
});

/** Merges a branch with one commit the way GitHub merges a pull request. */
function mergePullRequest(number: number, title: string, branch: string): string {
  const { git } = gh.repo;
  git('checkout', '--quiet', '-b', branch, 'main');
  git('commit', '--quiet', '--allow-empty', '-m', `work for ${title}`);
  git('checkout', '--quiet', 'main');
  git('merge', '--quiet', '--no-ff', branch, '-m', `Merge pull request #${number} from octo/${branch}`, '-m', title);
  return git('rev-parse', 'HEAD');
}

describe('generate release notes', () => {
  it('lists the pull requests merged since the previous tag, then the compare link', async () => {
    await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1', target_commitish: gh.repo.commits[1] });
    mergePullRequest(7, 'Add a greeting', 'greeting');
    gh.repo.git('commit', '--quiet', '--allow-empty', '-m', 'a direct commit is no pull request');
    const head = mergePullRequest(9, 'Fix `the` port | pipe', 'port');

    const { data, status } = await octokit.rest.repos.generateReleaseNotes({
      ...TEST_REPO,
      tag_name: 'v2',
      target_commitish: head,
      previous_tag_name: 'v1',
    });
    expect(status).toBe(200);
    expect(data.name).toBe('v2');
    const web = `${gh.server.url}/octo/app`;
    expect(data.body).toBe(
      [
        "## What's Changed",
        `* Add a greeting by @Test in ${web}/pull/7`,
        `* Fix \`the\` port | pipe by @Test in ${web}/pull/9`,
        '',
        '',
        `**Full Changelog**: ${web}/compare/v1...v2`,
      ].join('\n'),
    );
    expect(gh.server.responseViolations).toEqual([]);
  });

  it('starts from the newest release when no previous tag is named, and reads an existing tag', async () => {
    mergePullRequest(3, 'Before the first release', 'early');
    const released = gh.repo.git('rev-parse', 'HEAD');
    await octokit.rest.repos.createRelease({ ...TEST_REPO, tag_name: 'v1', target_commitish: released });
    const head = mergePullRequest(4, 'After it', 'late');
    gh.repo.git('tag', 'v2', head);

    const { data } = await octokit.rest.repos.generateReleaseNotes({ ...TEST_REPO, tag_name: 'v2' });
    expect(data.body).toContain('* After it by @Test');
    expect(data.body).not.toContain('Before the first release');
    expect(data.body).toContain('/compare/v1...v2');
  });

  it('gives only the commits link when there is nothing before and no pull request', async () => {
    const { data } = await octokit.rest.repos.generateReleaseNotes({ ...TEST_REPO, tag_name: 'v1' });
    expect(data.body).toBe(`**Full Changelog**: ${gh.server.url}/octo/app/commits/v1`);
  });

  it('answers 404 for an unknown previous tag or target, and 422 without tag_name', async () => {
    expect(
      (
        await requestFailure(
          octokit.rest.repos.generateReleaseNotes({ ...TEST_REPO, tag_name: 'v2', previous_tag_name: 'v0' }),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await requestFailure(
          octokit.rest.repos.generateReleaseNotes({ ...TEST_REPO, tag_name: 'v2', target_commitish: 'nope' }),
        )
      ).status,
    ).toBe(404);
    const missing = await requestFailure(
      octokit.request('POST /repos/{owner}/{repo}/releases/generate-notes', { ...TEST_REPO } as never),
    );
    expect(missing.status).toBe(422);
  });
});
