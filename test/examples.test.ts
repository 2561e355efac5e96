// The example workflows (examples/app/.github/workflows), run through the
// local runner exactly as a user would copy them: `OWNER/build-release-run`
// is mapped to this checkout.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { type RunWorkflowResult, readWorkflow, runWorkflow } from '../packages/workflow-runner/src/index.ts';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from './helpers/github-server.ts';
import { type TestSigstore, startTestSigstore, storedBundles } from './helpers/sigstore.ts';
import { removeDir, tempDir } from './helpers/tree.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const appRepo = path.join(repoRoot, 'examples', 'app');
const actionRepositories = { 'OWNER/build-release-run': repoRoot };

let dir: string;
// The build job attests its archive: it needs a Sigstore and a server to store it.
let github: TestGitHub;
let sigstore: TestSigstore;
beforeAll(async () => {
  dir = await tempDir('brr-examples-');
  github = await startTestGitHub();
  sigstore = await startTestSigstore();
});
afterAll(async () => {
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

async function buildJob(run: string): Promise<RunWorkflowResult> {
  return runWorkflow({
    workflowFile: '.github/workflows/build-release.yml',
    repoDir: appRepo,
    repository: 'octo/app',
    actionRepositories,
    // The build job alone, twice, to check reproducibility; the whole
    // pipeline against the local GitHub server runs in test/demo.test.ts.
    jobs: ['build'],
    workDir: path.join(dir, run),
    runId: run,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    ...sigstore.runnerOptions,
  });
}

describe('examples: build-release.yml', () => {
  let first: RunWorkflowResult;
  beforeAll(async () => {
    first = await buildJob('1');
  });

  it('builds the app with its own build step and stores the archive under a digest-derived name', async () => {
    const build = first.jobs['build']!;
    expect(build.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(build.result).toBe('success');
    const { digest } = build.outputs;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const artifactName = `build-sha256-${digest!.slice('sha256:'.length)}`;
    const files = path.join(first.artifactsDir, 'run-1', artifactName, 'files');
    const [archive] = await readdir(files);
    expect(archive).toMatch(/^app-[0-9a-f]{12}\.tar\.zst$/);
    const bytes = await readFile(path.join(files, archive!));
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(digest);
    expect(await storedBundles(github.server.url, TEST_TOKEN, 'octo/app', digest!)).toHaveLength(1);
  });

  it('gives the same digest when the same sources are built again', async () => {
    const second = await buildJob('2');
    expect(second.jobs['build']!.outputs['digest']).toBe(first.jobs['build']!.outputs['digest']);
  });
});

describe('examples: every workflow', () => {
  it.each(['build-release.yml', 'deploy.yml', 'promote.yml'])("%s parses with GitHub's parser", async (file) => {
    const workflow = await readWorkflow(path.join(appRepo, '.github', 'workflows', file));
    expect(workflow.jobs.length).toBeGreaterThan(0);
  });

  it('deploy.yml takes the environment and tag from the dispatch form', async () => {
    const workflow = await readWorkflow(path.join(appRepo, '.github', 'workflows', 'deploy.yml'));
    expect(workflow.events).toEqual(['workflow_dispatch']);
    expect(Object.entries(workflow.dispatchInputs).map(([name, input]) => [name, input.type])).toEqual([
      ['environment', 'environment'],
      ['tag', 'string'],
    ]);
  });
});
