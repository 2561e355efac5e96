// The example workflows (examples/app/.github/workflows), run through the
// local runner exactly as a user would copy them: `OWNER/build-release-run`
// is mapped to this checkout.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ArtifactService,
  type RunWorkflowResult,
  readWorkflow,
  runWorkflow,
  startArtifactService,
} from '@build-release-run/workflow-runner';
import { storedZipEntries } from '@build-release-run/test-helpers/stored-zip';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, startTestSigstore, storedBundles } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const repoRoot = path.resolve(import.meta.dirname, '..');
const appRepo = path.join(repoRoot, 'examples', 'app');
const actionRepositories = { 'OWNER/build-release-run': repoRoot };

let dir: string;
let artifacts: ArtifactService;
// The build job attests its archive: it needs a Sigstore and a server to store it.
let github: TestGitHub;
let sigstore: TestSigstore;
beforeAll(async () => {
  dir = await tempDir('brr-examples-');
  artifacts = await startArtifactService(path.join(dir, 'artifacts'));
  github = await startTestGitHub();
  sigstore = await startTestSigstore();
});
afterAll(async () => {
  await artifacts.stop();
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
    artifacts,
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

  it('builds the app with its own build step and uploads the archive as the artifact named from the digest', async () => {
    const build = first.jobs['build']!;
    expect(build.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(build.result).toBe('success');
    const { digest } = build.outputs;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const artifactName = `build-sha256-${digest!.slice('sha256:'.length)}`;
    const [artifact, ...others] = artifacts.list('1');
    expect(others).toEqual([]);
    expect(artifact?.name).toBe(artifactName);
    const entries = [...storedZipEntries(await (await artifacts.blob(artifact!)).downloadToBuffer())];
    expect(entries).toHaveLength(1);
    const [archive, bytes] = entries[0]!;
    expect(archive).toMatch(/^app-[0-9a-f]{12}\.tar\.zst$/);
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(digest);
    expect(await storedBundles(github.server.url, TEST_TOKEN, 'octo/app', digest!)).toHaveLength(1);
  });

  it('gives the same digest when the same sources are built again', async () => {
    const second = await buildJob('2');
    expect(second.jobs['build']!.outputs['digest']).toBe(first.jobs['build']!.outputs['digest']);
  });
});

describe('examples: every workflow', () => {
  it('promote.yml runs no script of its own: the release action takes and verifies the build (from-release)', async () => {
    const text = await readFile(path.join(appRepo, '.github', 'workflows', 'promote.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(?:- )?run:/m);
    expect(text).toContain('from-release: ${{ inputs.tag }}');
  });

  it.each(['build-release.yml', 'deploy.yml', 'promote.yml'])("%s parses with GitHub's parser", async (file) => {
    const workflow = await readWorkflow(path.join(appRepo, '.github', 'workflows', file));
    expect(workflow.jobs.length).toBeGreaterThan(0);
  });

  // GitHub's security hardening guide: an expression inside a script is
  // expanded into its text before the shell reads it, so a value from an
  // output or an input could run as code; through env: it is only data.
  it.each(['build-release.yml', 'deploy.yml'])(
    '%s passes values to scripts through env:, never ${{ }} inside a script',
    async (file) => {
      const text = await readFile(path.join(appRepo, '.github', 'workflows', file), 'utf8');
      // Every script: a `run:` key's value (a step's, or our actions' `run` input),
      // on its line or in the block indented below it.
      const scripts: string[] = [];
      let block: { indent: number; lines: string[] } | undefined;
      for (const line of text.split('\n')) {
        const indent = line.length - line.trimStart().length;
        if (block && (line.trim() === '' || indent > block.indent)) {
          block.lines.push(line);
          continue;
        }
        if (block) scripts.push(block.lines.join('\n'));
        block = undefined;
        const run = /^(\s*)(?:- )?run:(.*)$/.exec(line);
        if (run) block = { indent: (run[1] as string).length, lines: [run[2] as string] };
      }
      if (block) scripts.push(block.lines.join('\n'));
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).not.toContain('${{');
    },
  );

  it('deploy.yml takes the environment and tag from the dispatch form', async () => {
    const workflow = await readWorkflow(path.join(appRepo, '.github', 'workflows', 'deploy.yml'));
    expect(workflow.events).toEqual(['workflow_dispatch']);
    expect(Object.entries(workflow.dispatchInputs).map(([name, input]) => [name, input.type])).toEqual([
      ['environment', 'environment'],
      ['tag', 'string'],
    ]);
  });
});
