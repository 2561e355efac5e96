// .github/workflows/ci.yml through the local runner: it runs on pushes and
// pull requests, and its one job runs .ci/run from the checkout, passing or
// failing with it. A stand-in .ci/run takes the real one's place: what is
// tested is the wiring, not the suite inside the suite. And both workflows
// of .github grant each job only what it uses.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { readWorkflow, runWorkflow } from '@build-release-run/workflow-runner';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const repoRoot = path.resolve(import.meta.dirname, '..');
const CI = path.join(repoRoot, '.github', 'workflows', 'ci.yml');

describe('ci.yml', () => {
  let dir: string;
  let repo: string;
  beforeAll(async () => {
    dir = await tempDir('brr-ci-workflow-');
    repo = path.join(dir, 'repo');
    await mkdir(path.join(repo, '.ci'), { recursive: true });
    await cp(CI, path.join(repo, '.github', 'workflows', 'ci.yml'));
    await writeFile(
      path.join(repo, '.ci', 'run'),
      '#!/usr/bin/env bash\necho "stand-in .ci/run ran in $PWD"\nexit "${STAND_IN_EXIT:-0}"\n',
    );
    await chmod(path.join(repo, '.ci', 'run'), 0o755);
  });
  afterAll(() => removeDir(dir));

  const ci = (exit: number) =>
    runWorkflow({
      workflowFile: '.github/workflows/ci.yml',
      repoDir: repo,
      event: 'push',
      workDir: path.join(dir, `run-${exit}`),
      env: { STAND_IN_EXIT: String(exit) },
    });

  it('runs on pushes and pull requests', async () => {
    expect((await readWorkflow(CI)).events.sort()).toEqual(['pull_request', 'push']);
  });

  it('runs .ci/run at the root of the checkout', async () => {
    const result = await ci(0);
    const job = result.jobs['ci']!;
    expect(job.result).toBe('success');
    expect(job.log).toContain(`stand-in .ci/run ran in ${path.join(result.workDir, 'jobs', 'ci', 'workspace')}`);
  });

  it('fails when .ci/run fails', async () => {
    expect((await ci(3)).jobs['ci']!.result).toBe('failure');
  });

  it('finds .ci/run executable, as the step runs it', () => {
    expect(execFileSync('git', ['ls-files', '--stage', '.ci/run'], { cwd: repoRoot, encoding: 'utf8' })).toMatch(
      /^100755 /,
    );
  });
});

describe('the workflows of .github', () => {
  it.each([
    ['ci.yml', { ci: { contents: 'read' } }],
    [
      'release.yml',
      {
        check: { contents: 'read' },
        build: { contents: 'read', 'id-token': 'write', attestations: 'write' },
        release: { contents: 'write', 'id-token': 'write', attestations: 'write' },
        'major-tag': { contents: 'write' },
      },
    ],
  ])('%s grants nothing by default and each job only what it uses', async (file, jobs) => {
    const workflow = parse(await readFile(path.join(repoRoot, '.github', 'workflows', file), 'utf8')) as {
      permissions: unknown;
      jobs: Record<string, { permissions?: unknown }>;
    };
    expect(workflow.permissions).toEqual({});
    expect(Object.fromEntries(Object.entries(workflow.jobs).map(([id, job]) => [id, job.permissions]))).toEqual(jobs);
  });
});
