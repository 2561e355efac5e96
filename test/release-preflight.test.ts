// The release action's preflight through the local runner, with a job's
// own GITHUB_TOKEN (which GitHub never lets read the immutable-releases
// setting): on a repository with release immutability off, the first
// release is published and the job fails saying deploy will refuse it; the
// next one stops before anything is created, naming the setting; with
// 'allow-mutable-release: true' it is made, with a warning.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, runAttestingWorkflow, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

function workflow(allowMutable = false): string {
  return `name: build-release
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    outputs:
      digest: \${{ steps.build.outputs.digest }}
    steps:
      - id: build
        uses: OWNER/build-release-run/actions/build@v1
        with:
          run: mkdir -p site && echo hello > site/index.html
          path: site
  release:
    needs: build
    runs-on: ubuntu-latest
    permissions: { contents: write }
    steps:
      - uses: OWNER/build-release-run/actions/release@v1
        with:
          digest: \${{ needs.build.outputs.digest }}
          environment: staging
          config: GREETING=hi${allowMutable ? "\n          allow-mutable-release: 'true'" : ''}
`;
}

let github: TestGitHub;
let sigstore: TestSigstore;
let dir: string;
let runs = 0;

function run(allowMutable?: boolean): Promise<RunWorkflowResult> {
  return runAttestingWorkflow({
    github,
    sigstore,
    dir,
    name: `run-${++runs}`,
    file: 'build-release.yml',
    workflow: workflow(allowMutable),
  });
}

const annotations = (result: RunWorkflowResult, level: string) =>
  result.jobs['release']!.annotations.filter((a) => a.level === level).map((a) => a.message);

/** The repository's releases and tags, as an administrator sees them (drafts included). */
async function state(): Promise<{ releases: string[]; tags: string[] }> {
  const get = async (route: string) => {
    const response = await fetch(`${github.server.url}/repos/octo/app/${route}`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      signal: AbortSignal.timeout(10_000),
    });
    return response.status === 404 ? [] : ((await response.json()) as Record<string, unknown>[]);
  };
  return {
    releases: (await get('releases')).map((r) => `${String(r['tag_name'])}${r['draft'] ? ' (draft)' : ''}`),
    tags: (await get('git/matching-refs/tags')).map((r) => String(r['ref'])),
  };
}

beforeAll(async () => {
  [github, sigstore] = await Promise.all([startTestGitHub({ immutableReleases: false }), startTestSigstore()]);
  dir = await tempDir('brr-release-preflight-');
}, 60_000);
afterAll(async () => {
  expect(github.server.responseViolations).toEqual([]);
  await Promise.all([github?.close(), sigstore?.close()]);
  await removeDir(dir);
});

describe('a repository with release immutability off', () => {
  it('first release (no evidence before): published, then the job fails saying it exists but deploy will refuse it', async () => {
    const result = await run();
    expect(result.jobs['release']!.result).toBe('failure');
    expect(annotations(result, 'error')[0]).toMatch(
      /^Published v1, but GitHub did not make it immutable: .*The release v1 exists, but deploy will refuse it until immutability is on: turn it on in the repository Settings → General → Releases → 'Enable release immutability'/,
    );
    expect((await state()).releases).toEqual(['v1']);
  }, 300_000);

  it('next release: stops before anything is created or uploaded, naming the setting', async () => {
    const before = await state();
    const result = await run();
    expect(result.jobs['release']!.result).toBe('failure');
    expect(annotations(result, 'error')[0]).toMatch(
      /^Release immutability looks off for this repository: its newest release, v1, is not immutable .*Nothing was created\. Turn it on in the repository Settings → General → Releases → 'Enable release immutability'.*'allow-mutable-release: true'/,
    );
    expect(await state()).toEqual(before);
  }, 300_000);

  it('with allow-mutable-release: true, makes the release and warns', async () => {
    const result = await run(true);
    expect([result.jobs['release']!.result, annotations(result, 'error')]).toEqual(['success', []]);
    expect(annotations(result, 'warning')).toEqual([
      expect.stringMatching(
        /^Release immutability looks off .*Releasing anyway, as input 'allow-mutable-release' is true/,
      ),
    ]);
    expect((await state()).releases).toEqual(['v2', 'v1']);
  }, 300_000);

  it('once immutability is turned on, releases again without a word', async () => {
    github.server.setImmutableReleases('octo/app', true);
    // The newest release (v2) is still mutable and the job's token may not read the setting:
    // the preflight cannot tell, so it stops, saying what to do if the setting is on already.
    const stopped = await run();
    expect(annotations(stopped, 'error')[0]).toMatch(
      /it was turned on after v2: set 'allow-mutable-release: true' once/,
    );
    const once = await run(true);
    expect(once.jobs['release']!.result).toBe('success');
    const after = await run();
    expect([after.jobs['release']!.result, annotations(after, 'error'), annotations(after, 'warning')]).toEqual([
      'success',
      [],
      [],
    ]);
  }, 600_000);
});
