import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const run = promisify(execFile);
const cli = path.join(import.meta.dirname, '..', 'src', 'cli.ts');
const fixtureRepo = path.join(import.meta.dirname, 'fixtures', 'repo');

let workDir: string;
beforeAll(async () => {
  workDir = await tempDir('brr-cli-');
});
afterAll(async () => {
  await removeDir(workDir);
});

describe('the runner CLI', () => {
  it('runs a workflow with inputs and a secret from the environment, and prints the result', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        cli,
        '.github/workflows/pipeline.yml',
        '--repo',
        fixtureRepo,
        '--event',
        'workflow_dispatch',
        '--input',
        'target=staging',
        '--secret',
        'API_KEY',
        '--work-dir',
        workDir,
        '--json',
      ],
      { env: { ...process.env, API_KEY: 'from-env-secret' } },
    );
    const result = JSON.parse(stdout) as { conclusion: string; jobs: Record<string, { log: string[] }> };
    expect(result.conclusion).toBe('success');
    expect(result.jobs['first']!.log).toContain('secret ***');
    expect(stdout).not.toContain('from-env-secret');
  });

  it('exits 2 with the reason on a bad argument', async () => {
    await expect(run(process.execPath, [cli, 'w.yml', '--event', 'pull_request'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--event must be push or workflow_dispatch; got 'pull_request'"),
    });
    await expect(run(process.execPath, [cli, 'w.yml', '--job-tokens', 'admin'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--job-tokens must be scoped or shared; got 'admin'"),
    });
  });
});
