// The one-step root action (`uses: OWNER/build-release-run@v1`) through the
// local runner, each job with exactly its `permissions:`: in a job that
// grants contents: write, id-token: write and attestations: write it builds,
// attests the build, releases it attested, and deploy's default trust
// policy accepts the release; in a job that grants only contents: read it
// cannot release, and the error names the permission to grant.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, runAttestingWorkflow, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

function workflow(permissions: string, attest = ''): string {
  return `name: build-release
on: push
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
${permissions}
    outputs:
      tag: \${{ steps.brr.outputs.tag }}
      digest: \${{ steps.brr.outputs.digest }}
    steps:
      - uses: actions/checkout@v4
      - id: brr
        uses: OWNER/build-release-run@v1
        with:
          run: mkdir -p site && echo hello > site/index.html
          path: site
          environment: staging
          config: GREETING=hi${attest}
  deploy:
    needs: release
    runs-on: ubuntu-latest
    permissions:
      contents: read
      deployments: write
      attestations: read
    steps:
      - uses: OWNER/build-release-run/actions/deploy@v1
        with:
          tag: \${{ needs.release.outputs.tag }}
          environment: staging
          run: test "$(cat index.html)" = hello
`;
}

let github: TestGitHub;
let sigstore: TestSigstore;
let dir: string;

function run(name: string, text: string): Promise<RunWorkflowResult> {
  return runAttestingWorkflow({ github, sigstore, dir, name, file: 'build-release.yml', workflow: text });
}

const errors = (result: RunWorkflowResult, job: string) =>
  result.jobs[job]!.annotations.filter((a) => a.level === 'error').map((a) => a.message);

async function releaseCount(): Promise<number> {
  const response = await fetch(`${github.server.url}/repos/octo/app/releases`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  return ((await response.json()) as unknown[]).length;
}

beforeAll(async () => {
  [github, sigstore] = await Promise.all([startTestGitHub({ immutableReleases: true }), startTestSigstore()]);
  dir = await tempDir('brr-root-action-');
}, 60_000);
afterAll(async () => {
  await Promise.all([github?.close(), sigstore?.close()]);
  await removeDir(dir);
});

describe('the root action in a job granting id-token: write and attestations: write', () => {
  let result: RunWorkflowResult;
  beforeAll(async () => {
    result = await run(
      'granted',
      workflow('      contents: write\n      id-token: write\n      attestations: write', '\n          attest: true'),
    );
  }, 300_000);

  it('releases an attested build that deploy verifies with its default policy', () => {
    expect([result.jobs['release']!.result, errors(result, 'release')]).toEqual(['success', []]);
    expect([result.jobs['deploy']!.result, errors(result, 'deploy')]).toEqual(['success', []]);
    expect(result.jobs['release']!.outputs['tag']).toMatch(/^v\d+$/);
    // Deploy's default policy (verify-provenance: true) ran and said so.
    expect(result.jobs['deploy']!.summary).toMatch(/provenance/i);
  });
});

describe('the root action in a job granting only contents: read', () => {
  it('cannot release, and the error names contents: write', async () => {
    const before = await releaseCount();
    const result = await run('read-only', workflow('      contents: read'));
    expect(result.jobs['release']!.result).toBe('failure');
    expect(errors(result, 'release').join('\n')).toMatch(/contents: write/);
    expect(await releaseCount()).toBe(before);
  }, 300_000);
});
