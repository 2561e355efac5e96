// Runs the fixture repository's workflow (fixtures/repo) through the runner:
// a node24 action, a composite action calling it, every file command, masks,
// the stand-ins, needs and conditions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { type ArtifactService, type RunWorkflowResult, runWorkflow, startArtifactService } from '../src/index.ts';

const fixtureRepo = path.join(import.meta.dirname, 'fixtures', 'repo');
const workflowFile = '.github/workflows/pipeline.yml';
const secrets = { API_KEY: 's3cr3t-value' };
const token = 'ghs_local_token_value';

let workDir: string;
beforeAll(async () => {
  workDir = await tempDir('brr-runner-test-');
});
afterAll(async () => {
  await removeDir(workDir);
});

function allText(result: RunWorkflowResult): string {
  return Object.values(result.jobs)
    .map((job) => [...job.log, job.summary, JSON.stringify(job.outputs)].join('\n'))
    .join('\n');
}

describe('the fixture pipeline on push', () => {
  let result: RunWorkflowResult;
  let artifacts: ArtifactService;
  beforeAll(async () => {
    artifacts = await startArtifactService(path.join(workDir, 'push-artifacts'));
    result = await runWorkflow({
      artifacts,
      workflowFile,
      repoDir: fixtureRepo,
      event: 'push',
      secrets,
      token,
      apiUrl: 'http://127.0.0.1:1/api',
      // No GitHub server here: every job gets the token as it is.
      jobTokens: 'shared',
      workDir: path.join(workDir, 'push'),
      runId: '41',
    });
    // Three artifact steps (node processes loading @actions/artifact) and
    // azurite's start: more than jest's default minute on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    await artifacts.stop();
  });

  it('runs the jobs in needs order and skips the one whose if is false', () => {
    expect(Object.keys(result.jobs)).toEqual(['first', 'second', 'skipped']);
    expect(result.jobs['first']!.result).toBe('success');
    expect(result.jobs['second']!.result).toBe('success');
    expect(result.jobs['skipped']!.result).toBe('skipped');
    expect(result.conclusion).toBe('success');
  });

  it('maps step outputs to job outputs and job outputs to needs', () => {
    expect(result.jobs['first']!.outputs).toEqual({ message: 'hello, world', shouted: 'ABAB' });
    expect(result.jobs['second']!.log).toContain('needs=hello, world ABAB');
  });

  it('drops a job output that carries a secret, as the runner does', () => {
    expect(result.jobs['first']!.outputs).not.toHaveProperty('leaked');
    expect(result.jobs['first']!.log).toContain("##[warning]Skip output 'leaked' since it may contain secret.");
  });

  it('sets the runner variables, but GITHUB_TOKEN only when mapped', () => {
    const log = result.jobs['first']!.log;
    const workspace = result.jobs['first']!.workspace;
    expect(log).toContain(`ci=true api=http://127.0.0.1:1/api ws=${workspace}`);
    expect(log).toContain('token-env=unset');
  });

  it('masks secrets, the token and ::add-mask:: values everywhere', () => {
    const text = allText(result);
    expect(text).not.toContain(secrets.API_KEY);
    expect(text).not.toContain(token);
    expect(text).not.toContain('hide-me-please');
    expect(result.jobs['first']!.log).toContain('secret ***');
    expect(result.jobs['first']!.log).toContain('now *** is hidden');
    expect(result.jobs['first']!.log).toContain('token is ***');
  });

  it('gives node24 actions INPUT_* named as the runner names them, defaults evaluated, and runs them with Node 24', () => {
    const greet = result.jobs['first']!.stepsById['greet']!;
    expect(greet.outcome).toBe('success');
    expect(greet.outputs).toEqual({ message: 'hello, world', 'token-length': String(token.length) });
    expect(result.jobs['first']!.log).toContain(
      `node 24 action_path ${path.join(result.jobs['first']!.workspace, 'actions', 'greet')}`,
    );
  });

  it('runs composite actions with the inputs context, github.action_path and mapped outputs', () => {
    const compose = result.jobs['first']!.stepsById['compose']!;
    expect(compose.outputs).toEqual({ shouted: 'ABAB', greeting: 'hello, ab' });
    expect(compose.steps?.map((s) => [s.id, s.outcome])).toEqual([
      ['shout', 'success'],
      ['__run', 'success'],
      ['nested', 'success'],
    ]);
  });

  it('carries GITHUB_ENV (heredoc) and GITHUB_PATH to later steps, and step outputs to expressions', () => {
    const log = result.jobs['first']!.log;
    expect(log).toContain('from-path');
    expect(log).toContain('show=job-push/push');
  });

  it('collects step summaries and annotations, and runs post steps with their state, last first', () => {
    const first = result.jobs['first']!;
    expect(first.summary).toBe('### hello, world\n### hello, ab\n');
    expect(first.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      'hello, world',
      'hello, ab',
    ]);
    const posts = first.log.filter((l) => l.startsWith('post saw'));
    expect(posts).toEqual(['post saw ab', 'post saw world']);
  });

  it('stores artifacts by name through the artifact service, honours archive: false, and reports ids and digests', async () => {
    const first = result.jobs['first']!;
    const folder = first.stepsById['upload']!.outputs;
    const single = first.stepsById['single']!.outputs;
    expect(folder['artifact-id']).toBe('1');
    expect(single['artifact-id']).toBe('2');
    expect(single['artifact-url']).toBe('https://github.com/local/repo/actions/runs/41/artifacts/2');
    const bytes = await readFile(path.join(fixtureRepo, 'actions', 'compose', 'action.yml'));
    const { createHash } = await import('node:crypto');
    expect(single['artifact-digest']).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(folder['artifact-digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(artifacts.list('41').map((a) => a.name)).toEqual(['folder', 'action.yml']);
    expect(artifacts.list('41').map((a) => a.digest)).toEqual([
      `sha256:${folder['artifact-digest']}`,
      `sha256:${single['artifact-digest']}`,
    ]);
    expect((await readdir(path.join(result.jobs['second']!.workspace, 'got'))).sort()).toEqual([
      'action.yml',
      'main.js',
      'post.js',
    ]);
  });

  it('keeps going after continue-on-error and lets a later if see the outcome', () => {
    const second = result.jobs['second']!;
    const failing = second.steps.find((s) => s.outcome === 'failure')!;
    expect(failing.conclusion).toBe('success');
    expect(second.log).toContain('outcome seen');
  });
});

describe('the fixture pipeline on workflow_dispatch', () => {
  it('types the five kinds of input and runs the job the inputs enable', async () => {
    const result = await runWorkflow({
      workflowFile,
      repoDir: fixtureRepo,
      event: 'workflow_dispatch',
      inputs: { target: 'staging', 'dry-run': true, count: 5 },
      secrets,
      token,
      workDir: path.join(workDir, 'dispatch'),
    });
    expect(result.jobs['first']!.log).toContain('inputs staging true 5 5');
    expect(result.jobs['first']!.log).toContain('show=job-workflow_dispatch/low');
    expect(result.jobs['skipped']!.result).toBe('success');
  });

  it('refuses inputs the workflow does not accept, before running anything', async () => {
    await expect(
      runWorkflow({
        workflowFile,
        repoDir: fixtureRepo,
        event: 'workflow_dispatch',
        inputs: { target: 'x', level: 'extreme' },
        workDir: path.join(workDir, 'bad-inputs'),
      }),
    ).rejects.toThrow(/'level' must be one of low, high; got 'extreme'/);
  });
});

async function repoWith(name: string, workflow: string, extra: Record<string, string> = {}): Promise<string> {
  const repo = path.join(workDir, name);
  await makeTree(repo, { '.github/workflows/w.yml': workflow, ...extra });
  return repo;
}

describe('failures and refusals', () => {
  it('refuses any other uses: before running, naming what it supports', async () => {
    const repo = await repoWith(
      'other-uses',
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: touch ran\n      - uses: actions/setup-node@v4\n',
    );
    await expect(
      runWorkflow({
        workflowFile: '.github/workflows/w.yml',
        repoDir: repo,
        workDir: path.join(repo, '..', `${path.basename(repo)}-run`),
      }),
    ).rejects.toThrow(/'uses: actions\/setup-node@v4' is not supported by the local runner/);
  });

  it('reports an invalid workflow with the parser errors', async () => {
    const repo = await repoWith('invalid', 'on: push\njobs:\n  a:\n    steps:\n      - run: echo\n');
    await expect(
      runWorkflow({
        workflowFile: '.github/workflows/w.yml',
        repoDir: repo,
        workDir: path.join(repo, '..', `${path.basename(repo)}-run`),
      }),
    ).rejects.toThrow(/Required property is missing: runs-on/);
  });

  it('refuses an event the workflow does not run on', async () => {
    const repo = await repoWith('event', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n');
    await expect(
      runWorkflow({
        workflowFile: '.github/workflows/w.yml',
        repoDir: repo,
        event: 'workflow_dispatch',
        workDir: path.join(workDir, 'event-run'),
      }),
    ).rejects.toThrow(/does not run on 'workflow_dispatch'/);
  });

  it('fails a step, skips the rest and dependents, runs failure() and always() steps and jobs', async () => {
    const repo = await repoWith(
      'failing',
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    steps:',
        '      - run: echo "::error::went wrong" && exit 4',
        '      - run: echo not reached',
        '      - if: failure()',
        '        run: echo cleanup',
        '      - if: always()',
        '        run: echo "::set-output name=x::1"',
        '  b:',
        '    needs: a',
        '    runs-on: x',
        '    steps:',
        '      - run: echo b',
        '  c:',
        '    needs: a',
        '    if: failure()',
        '    runs-on: x',
        '    steps:',
        '      - run: echo "a was ${{ needs.a.result }}"',
      ].join('\n'),
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      workDir: path.join(workDir, 'failing-run'),
    });
    const a = result.jobs['a']!;
    expect(a.result).toBe('failure');
    expect(a.steps.map((s) => s.outcome)).toEqual(['failure', 'skipped', 'success', 'success']);
    expect(a.annotations.map((x) => x.message)).toEqual([
      'went wrong',
      'Process completed with exit code 4.',
      expect.stringMatching(/set-output` command is disabled/),
    ]);
    expect(result.jobs['b']!.result).toBe('skipped');
    expect(result.jobs['c']!.log).toContain('a was failure');
    expect(result.conclusion).toBe('failure');
  });

  it('tells to check out first when a local action is not in the workspace', async () => {
    const repo = await repoWith(
      'no-checkout',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./actions/x\n',
      {
        'actions/x/action.yml': 'name: x\ndescription: x\nruns:\n  using: node24\n  main: m.js\n',
        'actions/x/m.js': '',
      },
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      workDir: path.join(repo, '..', `${path.basename(repo)}-run`),
    });
    expect(result.jobs['a']!.result).toBe('failure');
    expect(result.jobs['a']!.annotations[0]!.message).toMatch(/Did you forget to run actions\/checkout/);
  });

  it('warns about an input the action does not declare, as the runner does', async () => {
    const repo = await repoWith(
      'unexpected-input',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./actions/x\n        with:\n          nope: 1\n',
      {
        'actions/x/action.yml':
          'name: x\ndescription: x\ninputs:\n  yes:\n    description: y\nruns:\n  using: node24\n  main: m.js\n',
        'actions/x/m.js': 'console.log(`nope=${process.env.INPUT_NOPE}`)\n',
      },
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      workDir: path.join(repo, '..', `${path.basename(repo)}-run`),
    });
    expect(result.jobs['a']!.annotations[0]!.message).toBe("Unexpected input(s) 'nope', valid inputs are ['yes']");
    expect(result.jobs['a']!.log).toContain('nope=1');
  });

  it('turns spaces in input names into _ in INPUT_ variables and evaluates expression defaults', async () => {
    const repo = await repoWith(
      'spaced-input',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./\n        with:\n          first name: Ada\n',
      {
        'action.yml':
          'name: x\ndescription: x\ninputs:\n  first name:\n    description: y\n  repo:\n    description: r\n    default: ${{ github.repository }}\nruns:\n  using: node24\n  main: m.js\n',
        'm.js': 'console.log(`got ${process.env.INPUT_FIRST_NAME} in ${process.env.INPUT_REPO}`)\n',
      },
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      repository: 'octo/app',
      workDir: path.join(workDir, 'spaced-input-run'),
    });
    expect(result.jobs['a']!.log).toContain('got Ada in octo/app');
  });

  it('applies defaults.run, hashFiles(), job.status, and masks secrets in recorded step outputs', async () => {
    const repo = await repoWith(
      'defaults',
      [
        'on: push',
        'defaults:',
        '  run:',
        '    shell: sh',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    defaults:',
        '      run:',
        '        working-directory: sub',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - id: where',
        '        run: echo "dir=$(basename "$PWD") shell=$0" && echo "secret=${{ secrets.S }}" >> "$GITHUB_OUTPUT"',
        "      - run: echo \"hash=${{ hashFiles('sub/*.txt') }} none=${{ hashFiles('nothing/*') }}\"",
        '        working-directory: .',
        '      - run: echo "status=${{ job.status }}"',
      ].join('\n'),
      { 'sub/a.txt': 'A', 'sub/b.txt': 'B' },
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      secrets: { S: 'very-secret' },
      workDir: path.join(workDir, 'defaults-run'),
    });
    const log = result.jobs['a']!.log;
    expect(log.find((l) => l.startsWith('dir='))).toMatch(/^dir=sub shell=.*\.sh$/);
    const { createHash } = await import('node:crypto');
    const sha = (text: string): Buffer => createHash('sha256').update(text).digest();
    const expected = createHash('sha256').update(sha('A')).update(sha('B')).digest('hex');
    expect(log).toContain(`hash=${expected} none=`);
    expect(log).toContain('status=success');
    expect(result.jobs['a']!.stepsById['where']!.outputs).toEqual({ secret: '***' });
  });

  it('stops a step at its timeout-minutes', async () => {
    const repo = await repoWith(
      'timeout',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: sleep 30\n        timeout-minutes: 0.01\n',
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      workDir: path.join(workDir, 'timeout-run'),
    });
    expect(result.jobs['a']!.result).toBe('failure');
    expect(result.jobs['a']!.annotations.map((a) => a.message)).toContain('The step has timed out (timeout-minutes).');
  });

  it('refuses a matrix, services or a container rather than ignoring them', async () => {
    const repo = await repoWith(
      'matrix',
      'on: push\njobs:\n  a:\n    runs-on: x\n    strategy:\n      matrix:\n        n: [1, 2]\n    steps:\n      - run: echo\n',
    );
    await expect(
      runWorkflow({
        workflowFile: '.github/workflows/w.yml',
        repoDir: repo,
        workDir: path.join(workDir, 'matrix-run'),
      }),
    ).rejects.toThrow(/uses 'strategy', which the local runner does not support/);
  });

  it('runs owner/repo/path@ref from a folder the caller maps, without a checkout', async () => {
    const repo = await repoWith(
      'mapped',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - id: g\n        uses: Octo/Fixtures/actions/greet@v1\n        with:\n          who-name: mapped\n',
    );
    const runDir = path.join(workDir, 'mapped-run');
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      workDir: runDir,
      actionRepositories: { 'octo/fixtures': fixtureRepo },
    });
    expect(result.jobs['a']!.stepsById['g']!.outputs['message']).toBe('hello, mapped');
    expect(result.jobs['a']!.log).toContain(
      `node 24 action_path ${path.join(runDir, '_actions', 'octo', 'fixtures', 'v1', 'actions', 'greet')}`,
    );
  });

  it('runs only the jobs selected, and refuses a selection without its needs', async () => {
    const only = await runWorkflow({
      workflowFile,
      repoDir: fixtureRepo,
      secrets,
      jobs: ['first'],
      workDir: path.join(workDir, 'select-run'),
    });
    expect(Object.keys(only.jobs)).toEqual(['first']);
    await expect(
      runWorkflow({ workflowFile, repoDir: fixtureRepo, jobs: ['second'], workDir: path.join(workDir, 'select-bad') }),
    ).rejects.toThrow("Job 'second' needs first; select those jobs too.");
  });

  it("gives a job its environment's secrets (masked) and variables", async () => {
    const repo = await repoWith(
      'environments',
      [
        'on:',
        '  workflow_dispatch:',
        '    inputs:',
        '      target: { type: environment, required: true }',
        'jobs:',
        '  deploy:',
        '    runs-on: x',
        '    environment: ${{ inputs.target }}',
        '    steps:',
        '      - run: echo "key=${{ secrets.KEY }} region=${{ vars.REGION }} shared=${{ secrets.SHARED }}"',
        '  other:',
        '    runs-on: x',
        '    steps:',
        '      - run: echo "key=${{ secrets.KEY }} region=${{ vars.REGION }}"',
      ].join('\n'),
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      event: 'workflow_dispatch',
      inputs: { target: 'staging' },
      secrets: { SHARED: 'repo-secret' },
      vars: { REGION: 'default' },
      environments: { staging: { secrets: { KEY: 'staging-key' }, vars: { REGION: 'eu' } } },
      workDir: path.join(workDir, 'environments-run'),
    });
    expect(result.jobs['deploy']!.environment).toBe('staging');
    expect(result.jobs['deploy']!.log).toContain('key=*** region=eu shared=***');
    expect(result.jobs['other']!.log).toContain('key= region=default');
  });

  it('checks out a repository that holds the run folder itself, without copying that folder', async () => {
    const repo = await repoWith(
      'run-inside',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: ls -A\n',
      { 'file.txt': 'x', 'node_modules/dep/index.js': '' },
    );
    const result = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      workDir: path.join(repo, 'tmp', 'runs'),
    });
    expect(result.jobs['a']!.result).toBe('success');
    expect(result.jobs['a']!.log.filter((l) => /^[.\w-]+$/.test(l)).sort()).toEqual([
      '.github',
      'file.txt',
      'node_modules',
      'tmp',
    ]);
  });
});
