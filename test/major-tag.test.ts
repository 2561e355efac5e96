// The release workflow's last job moves the major tag (v1) that workflows
// reference: which releases move it (a table), and the script against the
// local GitHub server as the job runs it (creates v1, moves it, leaves it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { majorTagMove } from '../.github/scripts/move-major-tag.js';

const SCRIPT = path.resolve(import.meta.dirname, '../.github/scripts/move-major-tag.js');

describe('majorTagMove', () => {
  it.each<[string, string[], ReturnType<typeof majorTagMove>]>([
    ['v1.0.0', ['v1.0.0'], { move: 'v1' }],
    ['v1.2.0', ['v1.0.0', 'v1.1.9', 'v1.2.0'], { move: 'v1' }],
    ['v1.10.0', ['v1.9.0', 'v1.10.0'], { move: 'v1' }],
    ['v2.0.0', ['v1.5.0', 'v2.0.0'], { move: 'v2' }],
    // A fix for v1 after v2 exists still moves v1, which is v1's newest.
    ['v1.5.1', ['v1.5.0', 'v2.0.0', 'v1.5.1'], { move: 'v1' }],
    ['v1.4.1', ['v1.4.1', 'v1.5.0'], { skip: 'v1.5.0 of the same major is newer than v1.4.1' }],
    ['v0.9.0', ['v0.10.0'], { skip: 'v0.10.0 of the same major is newer than v0.9.0' }],
    ['v2.0.0-rc.1', ['v1.0.0'], { skip: 'v2.0.0-rc.1 is not a stable vMAJOR.MINOR.PATCH release' }],
    ['v7', [], { skip: 'v7 is not a stable vMAJOR.MINOR.PATCH release' }],
    ['v01.0.0', [], { skip: 'v01.0.0 is not a stable vMAJOR.MINOR.PATCH release' }],
  ])('%s among %j: %j', (released, tags, decision) => {
    expect(majorTagMove(released, tags)).toEqual(decision);
  });
});

describe('move-major-tag.js against the API', () => {
  let github: TestGitHub;
  beforeAll(async () => {
    github = await startTestGitHub({}, 3);
  });
  afterAll(() => github.close());

  const api = (method: string, route: string, body?: unknown): Promise<Response> =>
    fetch(`${github.server.url}/repos/octo/app${route}`, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const release = async (tag: string, commit: string, prerelease = false): Promise<void> => {
    expect((await api('POST', '/git/refs', { ref: `refs/tags/${tag}`, sha: commit })).status).toBe(201);
    expect((await api('POST', '/releases', { tag_name: tag, prerelease })).status).toBe(201);
  };
  const majorAt = async (tag: string): Promise<string | undefined> => {
    const response = await api('GET', `/git/ref/tags/${tag}`);
    if (response.status === 404) return undefined;
    return ((await response.json()) as { object: { sha: string } }).object.sha;
  };
  const move = (tag: string, commit: string) =>
    promisify(execFile)(process.execPath, [SCRIPT], {
      env: {
        PATH: process.env['PATH'],
        GITHUB_API_URL: github.server.url,
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_TOKEN: TEST_TOKEN,
        GITHUB_SHA: commit,
        RELEASED_TAG: tag,
      },
    });

  it('creates v1 at the first release, moves it with the next, and leaves it for a pre-release or an older fix', async () => {
    const [c1, c2, c3] = github.repo.commits as [string, string, string];
    await release('v1.0.0', c1);
    expect((await move('v1.0.0', c1)).stdout).toBe(`v1 now points at ${c1} (v1.0.0).\n`);
    expect(await majorAt('v1')).toBe(c1);

    await release('v1.1.0', c3);
    await move('v1.1.0', c3);
    expect(await majorAt('v1')).toBe(c3);

    await release('v1.0.1', c2);
    expect((await move('v1.0.1', c2)).stdout).toBe(
      'The major tag stays: v1.1.0 of the same major is newer than v1.0.1.\n',
    );
    await release('v1.2.0-rc.1', c2, true);
    await move('v1.2.0-rc.1', c2);
    expect(await majorAt('v1')).toBe(c3);
  });

  it('fails naming what GitHub answered, as a workflow error annotation', async () => {
    const failure = await move('v1.1.0', 'f'.repeat(40)).catch((error: { code: number; stdout: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stdout: string }).stdout).toMatch(
      /^::error::Moving the major tag: Moving v1 failed with 422: "\{.*Object does not exist.*\}"\n$/,
    );
  });
});
