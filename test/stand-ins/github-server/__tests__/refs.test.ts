import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  startTestGitHub,
  TEST_REPO,
  TEST_TOKEN,
  type TestGitHub,
  requestFailure,
} from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';

let gh: TestGitHub;
const it = conformingIt(() => gh.server);
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  gh = await startTestGitHub({}, 3);
  octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
});

afterEach(async () => {
  await gh.close();
});

describe('git refs', () => {
  it('creates a tag ref that becomes a real tag in the repository', async () => {
    const sha = gh.repo.commits[0] as string;
    const { status, data } = await octokit.rest.git.createRef({ ...TEST_REPO, ref: 'refs/tags/v1', sha });
    expect(status).toBe(201);
    expect(data).toMatchObject({ ref: 'refs/tags/v1', object: { sha, type: 'commit' } });
    expect(gh.repo.git('rev-parse', 'refs/tags/v1')).toBe(sha);
    const { data: got } = await octokit.rest.git.getRef({ ...TEST_REPO, ref: 'tags/v1' });
    expect(got.object.sha).toBe(sha);
  });

  it('answers 422 for an unknown commit and for an existing ref', async () => {
    const unknown = await requestFailure(
      octokit.rest.git.createRef({ ...TEST_REPO, ref: 'refs/tags/x', sha: 'f'.repeat(40) }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.response?.data).toMatchObject({ message: 'Object does not exist' });
    await octokit.rest.git.createRef({ ...TEST_REPO, ref: 'refs/tags/x', sha: gh.repo.commits[0] as string });
    const again = await requestFailure(
      octokit.rest.git.createRef({ ...TEST_REPO, ref: 'refs/tags/x', sha: gh.repo.commits[1] as string }),
    );
    expect(again.status).toBe(422);
    expect(again.response?.data).toMatchObject({ message: 'Reference already exists' });
    expect(gh.repo.git('rev-parse', 'refs/tags/x')).toBe(gh.repo.commits[0]);
  });

  it('gives exactly one 201 to 100 concurrent creations of one tag', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        octokit.rest.git.createRef({ ...TEST_REPO, ref: 'refs/tags/race', sha: gh.repo.commits[i % 3] as string }),
      ),
    );
    const statuses = results.map((r) =>
      r.status === 'fulfilled' ? (r.value as { status: number }).status : (r.reason as { status: number }).status,
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(99);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    expect(gh.repo.git('rev-parse', 'refs/tags/race')).toBe(gh.repo.commits[winner % 3]);
  });

  it('lists matching refs by prefix', async () => {
    for (const name of ['v1', 'v2', 'w1']) {
      await octokit.rest.git.createRef({ ...TEST_REPO, ref: `refs/tags/${name}`, sha: gh.repo.commits[0] as string });
    }
    const { data } = await octokit.rest.git.listMatchingRefs({ ...TEST_REPO, ref: 'tags/v' });
    expect(data.map((r) => r.ref)).toEqual(['refs/tags/v1', 'refs/tags/v2']);
  });

  it('updates fast-forward only unless forced, and deletes', async () => {
    const [c1, c2, c3] = gh.repo.commits as [string, string, string];
    await octokit.rest.git.createRef({ ...TEST_REPO, ref: 'refs/heads/topic', sha: c2 });
    const { data } = await octokit.rest.git.updateRef({ ...TEST_REPO, ref: 'heads/topic', sha: c3 });
    expect(data.object.sha).toBe(c3);
    const backwards = await requestFailure(octokit.rest.git.updateRef({ ...TEST_REPO, ref: 'heads/topic', sha: c1 }));
    expect(backwards.status).toBe(422);
    expect(backwards.response?.data).toMatchObject({ message: 'Update is not a fast forward' });
    await octokit.rest.git.updateRef({ ...TEST_REPO, ref: 'heads/topic', sha: c1, force: true });
    expect(gh.repo.git('rev-parse', 'refs/heads/topic')).toBe(c1);
    expect((await octokit.rest.git.deleteRef({ ...TEST_REPO, ref: 'heads/topic' })).status).toBe(204);
    const gone = await requestFailure(octokit.rest.git.deleteRef({ ...TEST_REPO, ref: 'heads/topic' }));
    expect(gone.status).toBe(422);
    expect((await requestFailure(octokit.rest.git.getRef({ ...TEST_REPO, ref: 'heads/topic' }))).status).toBe(404);
  });
});
