// The build artifact between jobs: build uploads it through the runner's
// artifact service (@actions/artifact, azurite behind signed URLs), release
// in another job of the same run downloads it by the name the digest gives,
// and refuses bytes that changed in storage after the upload.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ArtifactService,
  type RunWorkflowResult,
  runWorkflow,
  startArtifactService,
} from '@build-release-run/workflow-runner';
import { repoRoot } from '@build-release-run/test-helpers/action-wiring';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const BUILD_WORKFLOW = `name: build
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: build
        uses: ./actions/build
        with:
          path: site
          name: site
          run: mkdir -p site && echo "built at $GITHUB_RUN_ID" > site/index.html
`;

// Another job of the same run (same run id, same service), given the digest
// as the build job's output would give it.
const RELEASE_WORKFLOW = `name: release
on:
  workflow_dispatch:
    inputs:
      digest: { type: string, required: true }
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - id: release
        uses: OWNER/build-release-run/actions/release@v1
        with:
          digest: \${{ inputs.digest }}
          environment: staging
          config: GREETING=hi
`;

let github: TestGitHub;
let artifacts: ArtifactService;
let dir: string;

beforeAll(async () => {
  dir = await tempDir('brr-build-artifact-');
  github = await startTestGitHub({ immutableReleases: true });
  artifacts = await startArtifactService(path.join(dir, 'artifacts'));
  await writeFile(path.join(dir, 'build.yml'), BUILD_WORKFLOW);
  await writeFile(path.join(dir, 'release.yml'), RELEASE_WORKFLOW);
});
// Each test runs two workflows, each copying this repository (checkout, the
// mapped action) and the first starting azurite: minutes on a loaded machine.
afterAll(async () => {
  await artifacts.stop();
  await github.close();
  await removeDir(dir);
});

function run(workflow: string, runId: string, digest?: string): Promise<RunWorkflowResult> {
  return runWorkflow({
    workflowFile: path.join(dir, workflow),
    repoDir: repoRoot,
    repository: 'octo/app',
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    sha: github.repo.commits.at(-1)!,
    actionRepositories: { 'OWNER/build-release-run': repoRoot },
    workDir: path.join(dir, `run-${runId}-${workflow}`),
    runId,
    artifacts,
    ...(digest === undefined ? {} : { event: 'workflow_dispatch' as const, inputs: { digest } }),
  });
}

async function releaseCount(): Promise<number> {
  const response = await fetch(`${github.server.url}/repos/octo/app/releases`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  return ((await response.json()) as unknown[]).length;
}

describe('the build artifact between jobs', () => {
  it('is released by another job of the run from the digest alone', async () => {
    const build = await run('build.yml', '21');
    expect(build.jobs['build']!.result).toBe('success');
    const digest = build.jobs['build']!.stepsById['build']!.outputs['digest']!;
    expect(artifacts.list('21').map((a) => a.name)).toEqual([`build-sha256-${digest.slice('sha256:'.length)}`]);

    const release = await run('release.yml', '21', digest);
    const job = release.jobs['release']!;
    expect([job.result, job.annotations.filter((a) => a.level === 'error')]).toEqual(['success', []]);
    expect(job.stepsById['release']!.outputs['tag']).toBe('v1');
  }, 300_000);

  it('is refused when its bytes changed in storage after the upload, and nothing is created', async () => {
    const build = await run('build.yml', '22');
    const digest = build.jobs['build']!.stepsById['build']!.outputs['digest']!;
    const [record] = artifacts.list('22');
    const blob = await artifacts.blob(record!);
    const bytes = await blob.downloadToBuffer();
    // The zip stores the archive uncompressed: flip one byte of its content.
    const at = bytes.length >> 1;
    bytes[at] = bytes[at]! ^ 0xff;
    await blob.uploadData(bytes);
    const before = await releaseCount();

    const release = await run('release.yml', '22', digest);
    const job = release.jobs['release']!;
    expect(job.result).toBe('failure');
    expect(job.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toContainEqual(
      expect.stringMatching(/build artifact 'build-sha256-[0-9a-f]{64}' changed after it was uploaded/),
    );
    expect(await releaseCount()).toBe(before);
  }, 300_000);
});
