/**
 * How a release presents itself and what it refuses to drop, through the
 * bundled action (dist/release/index.js, what the runner runs) against the
 * local GitHub server: only the latest-environment's releases take GitHub's
 * Latest badge, pre-releases never do, and a release that loses every config
 * key of its environment's previous release is refused unless meant.
 */
import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import {
  RELEASE_BUNDLE,
  type TestArchive,
  releaseEnv,
  repositoryState,
  runReleaseProcess,
  writeTestArchive,
} from '@build-release-run/test-helpers/release-action';

let github: TestGitHub;
const it = conformingIt(() => github.server);
let work: string;
let archive: TestArchive;
let runs = 0;

beforeEach(async () => {
  github = await startTestGitHub({ immutableReleases: true });
  work = await tempDir('brr-publish-');
  archive = await writeTestArchive(work);
});

afterEach(async () => {
  await github.close();
  await removeDir(work);
});

async function release(inputs: Record<string, string>, gitRef?: string) {
  const env = await releaseEnv({
    server: github.server,
    workDir: work,
    commit: github.repo.commits.at(-1) as string,
    runId: String(2000 + ++runs),
    inputs: { digest: archive.digest, archive: archive.file, ...inputs },
  });
  if (gitRef) env.GITHUB_REF = gitRef;
  return runReleaseProcess(env, RELEASE_BUNDLE);
}

async function getJson(route: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${github.server.url}${route}`, {
    headers: { authorization: 'Bearer test-token', accept: 'application/vnd.github+json' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Latest badge and pre-releases', () => {
  it('keeps production v1 the repository latest after a staging v2', async () => {
    expect((await release({ environment: 'production', config: 'A=1' })).failure).toBeUndefined();
    expect((await release({ environment: 'staging', config: 'A=1' })).failure).toBeUndefined();
    const latest = await getJson('/repos/octo/app/releases/latest');
    expect([latest.status, latest.body.tag_name]).toEqual([200, 'v1']);
    // The notes carry GitHub's generate-notes list (none merged here), and name the promotion.
    const staging = (await getJson('/repos/octo/app/releases/tags/v2')).body.body as string;
    expect(staging).toContain('### Pull requests in this release');
    expect(staging).toContain(
      '| Promoted from | [v1](https://github.example/octo/app/releases/tag/v1) (`production`) |',
    );
  });

  it('gives the badge to latest-environment, or as make-latest says', async () => {
    expect((await release({ environment: 'live', 'latest-environment': 'live' })).failure).toBeUndefined();
    expect((await release({ environment: 'production', 'latest-environment': 'live' })).failure).toBeUndefined();
    expect((await getJson('/repos/octo/app/releases/latest')).body.tag_name).toBe('v1');
    expect((await release({ environment: 'staging', 'make-latest': 'true' })).failure).toBeUndefined();
    expect((await getJson('/repos/octo/app/releases/latest')).body.tag_name).toBe('v3');
  });

  it('marks a pre-release version as a pre-release, never Latest, and follows prerelease', async () => {
    expect((await release({ environment: 'production', version: '1.0.0' })).failure).toBeUndefined();
    expect((await release({ environment: 'production', version: '1.1.0-rc.1' })).failure).toBeUndefined();
    expect((await release({ environment: 'production', version: '1.1.0', prerelease: 'true' })).failure).toBe(
      undefined,
    );
    const flags = Object.fromEntries(
      (
        await Promise.all(['v1.0.0', 'v1.1.0-rc.1', 'v1.1.0'].map((t) => getJson(`/repos/octo/app/releases/tags/${t}`)))
      ).map(({ body }) => [body.tag_name, body.prerelease]),
    );
    expect(flags).toEqual({ 'v1.0.0': false, 'v1.1.0-rc.1': true, 'v1.1.0': true });
    expect((await getJson('/repos/octo/app/releases/latest')).body.tag_name).toBe('v1.0.0');
  });
});

describe('config reset guard', () => {
  it('refuses a release that drops every key, naming them, unless config-reset is true', async () => {
    expect(
      (await release({ environment: 'staging', config: 'LOG_LEVEL=info\nAPI_URL=x', 'secret-keys': 'DB_PASSWORD' }))
        .failure,
    ).toBeUndefined();
    const before = await repositoryState(github.server);
    const refused = await release({ environment: 'staging', configfile: 'config/staging.env' });
    expect(refused.failure).toMatch(
      /would drop every config key of v1 \(API_URL, DB_PASSWORD, LOG_LEVEL\)\. The likely cause is a config input that did not arrive.*'config-reset: true'/,
    );
    expect(await repositoryState(github.server)).toEqual(before);
    // Another environment, or one key kept, is not a reset.
    expect((await release({ environment: 'production' })).failure).toBeUndefined();
    expect((await release({ environment: 'staging', config: 'LOG_LEVEL=debug' })).failure).toBeUndefined();
    expect((await release({ environment: 'staging', 'config-reset': 'true' })).failure).toBeUndefined();
  });
});

describe('version: ref', () => {
  it('releases onto the pushed tag at the built commit', async () => {
    const built = github.repo.commits.at(-1) as string;
    // What `git push origin v1.4.2` leaves on GitHub. (The local server has no
    // GET /git/tags/{sha} yet, so annotated tags are not exercised here.)
    github.repo.git('tag', 'v1.4.2', built);
    github.repo.git('tag', 'v1.5.0-rc.1', built);
    const first = await release({ environment: 'production', version: 'ref' }, 'refs/tags/v1.4.2');
    expect(first.failure).toBeUndefined();
    expect(first.outputs).toMatchObject({ tag: 'v1.4.2', version: '1.4.2' });
    const pre = await release({ environment: 'production', version: 'ref' }, 'refs/tags/v1.5.0-rc.1');
    expect(pre.outputs.tag).toBe('v1.5.0-rc.1');
    const { body } = await getJson('/repos/octo/app/releases/tags/v1.4.2');
    expect([body.draft, body.target_commitish]).toEqual([false, built]);
    // The tag is where it was pushed.
    expect(github.repo.git('rev-parse', 'v1.4.2')).toBe(built);
  });

  it('refuses a tag at another commit, a tag that has a release, and a run not started by a tag', async () => {
    github.repo.git('tag', 'v2.0.0', github.repo.commits.at(-2) as string);
    const before = await repositoryState(github.server);
    const moved = await release({ environment: 'production', version: 'ref' }, 'refs/tags/v2.0.0');
    expect(moved.failure).toMatch(
      /^Input 'version' is 'ref', but v2\.0\.0 points at commit [0-9a-f]{40}, not at the built commit [0-9a-f]{40}/,
    );
    const branch = await release({ environment: 'production', version: 'ref' });
    expect(branch.failure).toMatch(/^Input 'version' is 'ref', but this workflow run was not started by a tag/);
    const notVersion = await release({ environment: 'production', version: 'ref' }, 'refs/tags/nightly');
    expect(notVersion.failure).toMatch(/^Input 'version' is 'ref', but the tag "nightly" is not v \+ a version/);
    expect(await repositoryState(github.server)).toEqual(before);
    expect(github.repo.git('rev-parse', 'v2.0.0')).toBe(github.repo.commits.at(-2));

    github.repo.git('tag', 'v3.0.0', github.repo.commits.at(-1) as string);
    expect((await release({ environment: 'production', version: 'ref' }, 'refs/tags/v3.0.0')).failure).toBe(undefined);
    const again = await release({ environment: 'staging', version: 'ref' }, 'refs/tags/v3.0.0');
    expect(again.failure).toMatch(/v3\.0\.0 already has a release; releases are immutable/);
    // Any other existing tag is still refused, as before.
    const explicit = await release({ environment: 'production', version: '2.0.0' });
    expect(explicit.failure).toMatch(/Input 'version': v2\.0\.0 exists; releases are immutable/);
  });
});
