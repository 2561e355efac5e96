// Reusable workflows (`on: workflow_call`) called by jobs with `uses:`, as
// GitHub runs them ("Reusing workflows"): a local one and one of a mapped
// repository; typed inputs with defaults, secrets passed by name and with
// `inherit`, outputs from the called jobs' outputs, `needs` on both sides of
// the call; the called jobs get no more than the calling job grants; their
// OIDC tokens name the called file in job_workflow_ref / job_workflow_sha.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { GITHUB_ACTIONS_ISSUER, createOidcIssuer, verifyOidcToken } from '@build-release-run/sigstore-server';
import {
  TEST_TOKEN,
  type TestGitHub,
  commitFolder,
  startTestGitHub,
} from '@build-release-run/test-helpers/github-server';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { type RunWorkflowResult, runWorkflow } from '../src/index.ts';

// Prints the job's OIDC token (jwt=…, split so that the log keeps it) or that there is none.
const FETCH_OIDC = JSON.stringify(`node -e '
const u = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
if (!u) { console.log("no-token-url"); process.exit(0); }
fetch(u + "&audience=sigstore", { headers: { authorization: "Bearer " + process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN } })
  .then((r) => r.json()).then((b) => console.log("jwt=" + b.value.split(".").join(" ")));
'`);

// Tries to create a release with the job's token and prints the status.
const TRY_RELEASE = JSON.stringify(`node -e '
fetch(process.env.GITHUB_API_URL + "/repos/" + process.env.GITHUB_REPOSITORY + "/releases", {
  method: "POST", body: JSON.stringify({ tag_name: "v-" + process.env.GITHUB_JOB }),
  headers: { authorization: "Bearer " + process.env.TOKEN, "content-type": "application/json" },
}).then((r) => console.log("release=" + r.status));
'`);

const CALLER = `name: caller
on: push
env:
  CALLER_ONLY: not for called workflows
permissions:
  contents: write
jobs:
  prepare:
    runs-on: ubuntu-latest
    outputs:
      word: \${{ steps.w.outputs.word }}
    steps:
      - id: w
        run: echo "word=hello" >> "$GITHUB_OUTPUT"
  local:
    needs: prepare
    uses: ./.github/workflows/speak.yml
    permissions:
      contents: read
      id-token: write
    with:
      word: \${{ needs.prepare.outputs.word }}
      count: 3
      loud: false
    secrets:
      API_KEY: \${{ secrets.API_KEY }}
  remote:
    uses: OWNER/tools/.github/workflows/count.yml@v1
    permissions:
      contents: read
    secrets: inherit
  remote-signer:
    uses: OWNER/tools/.github/workflows/sign.yml@v1
    permissions:
      id-token: write
  report:
    needs: [local, remote]
    runs-on: ubuntu-latest
    steps:
      - env:
          SHOUT: \${{ needs.local.outputs.shout }}
          LENGTHS: \${{ needs.remote.outputs.lengths }}
          RESULT: \${{ needs.local.result }}
        run: echo "report shout=$SHOUT lengths=$LENGTHS result=$RESULT"
`;

// Asks for more than the caller grants (contents: write, deployments: write).
const SPEAK = `on:
  workflow_call:
    inputs:
      word: { type: string, required: true }
      count: { type: number }
      loud: { type: boolean, default: true }
      suffix: { type: string, default: "!" }
    secrets:
      API_KEY: { required: true }
      OTHER: { required: false }
    outputs:
      shout:
        value: \${{ jobs.speak.outputs.shout }}
permissions:
  contents: write
  deployments: write
  id-token: write
jobs:
  speak:
    runs-on: ubuntu-latest
    outputs:
      shout: \${{ steps.s.outputs.shout }}
    steps:
      - id: s
        env:
          TYPES: \${{ format('{0} {1} {2}', toJSON(inputs.count), inputs.loud && 'loud' || 'quiet', inputs.suffix) }}
          KEY_LENGTH: \${{ format('{0}', secrets.API_KEY != '') }}
          OTHER: \${{ secrets.OTHER }}
          CALLER_ONLY: \${{ env.CALLER_ONLY }}
          WORD: \${{ inputs.word }}
        run: |
          echo "types=$TYPES key=$KEY_LENGTH other=[$OTHER] caller-env=[$CALLER_ONLY]"
          echo "shout=$WORD$WORD" >> "$GITHUB_OUTPUT"
      - env: { TOKEN: "\${{ github.token }}" }
        run: ${TRY_RELEASE}
      - run: ${FETCH_OIDC}
`;

// write-all, called by a job that grants contents: read.
const COUNT = `on:
  workflow_call:
    outputs:
      lengths:
        value: \${{ jobs.count.outputs.lengths }}
jobs:
  count:
    runs-on: ubuntu-latest
    permissions: write-all
    outputs:
      lengths: \${{ steps.l.outputs.lengths }}
    steps:
      - id: l
        env: { K: "\${{ secrets.API_KEY }}", O: "\${{ secrets.OTHER }}" }
        run: echo "lengths=\${#K}-\${#O}" >> "$GITHUB_OUTPUT"
      - env: { TOKEN: "\${{ secrets.GITHUB_TOKEN }}" }
        run: ${TRY_RELEASE}
      - run: ${FETCH_OIDC}
`;

const SIGN = `on: workflow_call
jobs:
  sign:
    runs-on: ubuntu-latest
    steps:
      - run: ${FETCH_OIDC}
`;

const issuer = createOidcIssuer();
let dir: string;
let github: TestGitHub;
let toolsSha: string;
let result: RunWorkflowResult;
beforeAll(async () => {
  dir = await tempDir('brr-reusable-');
  github = await startTestGitHub();
  const repo = path.join(dir, 'app');
  await makeTree(repo, { '.github/workflows/caller.yml': CALLER, '.github/workflows/speak.yml': SPEAK });
  const tools = path.join(dir, 'tools');
  await makeTree(tools, { '.github/workflows/count.yml': COUNT, '.github/workflows/sign.yml': SIGN });
  toolsSha = commitFolder(tools);
  result = await runWorkflow({
    workflowFile: '.github/workflows/caller.yml',
    repoDir: repo,
    repository: 'octo/app',
    sha: github.repo.commits.at(-1)!,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    secrets: { API_KEY: 'k3y', OTHER: 'other-secret' },
    actionRepositories: { 'OWNER/tools': tools },
    oidcIssuer: issuer,
    workDir: path.join(dir, 'work'),
    runId: '31',
  });
}, 120_000);
afterAll(async () => {
  await github.close();
  await removeDir(dir);
});

function oidcClaims(log: string[]): Record<string, unknown> {
  const line = log.find((l) => l.startsWith('jwt='));
  if (!line) throw new Error(`no token in the log:\n${log.join('\n')}`);
  return verifyOidcToken(line.slice('jwt='.length).split(' ').join('.'), [issuer], 'sigstore');
}

describe('a local reusable workflow', () => {
  it('runs after the jobs its caller needs, and the jobs that need the caller see its outputs', () => {
    expect(Object.keys(result.jobs)).toEqual([
      'prepare',
      'local/speak',
      'local',
      'remote/count',
      'remote',
      'remote-signer/sign',
      'remote-signer',
      'report',
    ]);
    expect(result.conclusion).toBe('success');
    expect(result.jobs['report']!.log).toContain('report shout=hellohello lengths=3-12 result=success');
  });

  it('gets typed inputs with their defaults, the secrets passed by name only, and not the caller env', () => {
    expect(result.jobs['local/speak']!.log).toContain('types=3 quiet ! key=true other=[] caller-env=[]');
  });

  it('gets no more than the calling job grants, though it asks for contents: write', () => {
    expect(result.jobs['local/speak']!.log).toContain('release=403');
    const log = result.jobs['local/speak']!.log;
    const at = log.indexOf('GITHUB_TOKEN Permissions');
    expect(log.slice(at, at + 3)).toEqual(['GITHUB_TOKEN Permissions', '  Contents: read', '  Metadata: read']);
  });

  // "About security hardening with OpenID Connect": for a job of a called
  // workflow, job_workflow_ref and job_workflow_sha name the called file,
  // while workflow_ref, ref, sha and repository describe the caller's run.
  it("signs as the called file in job_workflow_ref, the caller's run in workflow_ref, ref and sha", () => {
    expect(oidcClaims(result.jobs['local/speak']!.log)).toMatchObject({
      iss: GITHUB_ACTIONS_ISSUER,
      repository: 'octo/app',
      ref: 'refs/heads/main',
      sha: github.repo.commits.at(-1)!,
      workflow: 'caller',
      workflow_ref: 'octo/app/.github/workflows/caller.yml@refs/heads/main',
      job_workflow_ref: 'octo/app/.github/workflows/speak.yml@refs/heads/main',
      job_workflow_sha: github.repo.commits.at(-1)!,
      event_name: 'push',
    });
  });
});

describe('a reusable workflow of a mapped repository', () => {
  it('gets every secret of the caller with secrets: inherit', () => {
    expect(result.jobs['remote']!.outputs).toEqual({ lengths: '3-12' });
  });

  it("asks for write-all and gets the calling job's contents: read, and no id-token", () => {
    const log = result.jobs['remote/count']!.log;
    expect(log).toContain('release=403');
    expect(log).toContain('no-token-url');
  });

  it('signs as owner/repo/.github/workflows/<file>@refs/tags/<ref> at the commit of that repository', () => {
    expect(oidcClaims(result.jobs['remote-signer/sign']!.log)).toMatchObject({
      repository: 'octo/app',
      workflow_ref: 'octo/app/.github/workflows/caller.yml@refs/heads/main',
      job_workflow_ref: 'OWNER/tools/.github/workflows/sign.yml@refs/tags/v1',
      job_workflow_sha: toolsSha,
      sha: github.repo.commits.at(-1)!,
    });
  });
});

describe('a call the runner refuses before anything runs', () => {
  const called = `on:
  workflow_call:
    inputs:
      n: { type: number, required: true }
    secrets:
      S: { required: true }
jobs:
  j:
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
`;
  const run = async (job: string): Promise<unknown> => {
    const repo = path.join(dir, `refused-${Math.random().toString(36).slice(2)}`);
    await makeTree(repo, {
      '.github/workflows/called.yml': called,
      '.github/workflows/not-callable.yml': 'on: push\njobs:\n  j:\n    runs-on: x\n    steps: [{ run: "true" }]\n',
      '.github/workflows/w.yml': `on: push\njobs:\n  caller:\n${job}`,
    });
    return runWorkflow({ workflowFile: '.github/workflows/w.yml', repoDir: repo, workDir: path.join(repo, 'work') });
  };

  it.each([
    [
      'a required input left out',
      '    uses: ./.github/workflows/called.yml\n    secrets: { S: x }\n',
      'Input n is required',
    ],
    [
      'a required secret left out',
      '    uses: ./.github/workflows/called.yml\n    with: { n: 1 }\n',
      'Secret S is required',
    ],
    [
      'an input the workflow does not declare',
      '    uses: ./.github/workflows/called.yml\n    with: { n: 1, m: 2 }\n    secrets: { S: x }\n',
      'Invalid input, m is not defined',
    ],
    ['a workflow without workflow_call', '    uses: ./.github/workflows/not-callable.yml\n', 'workflow_call'],
    ['a repository that is not mapped', '    uses: other/repo/.github/workflows/x.yml@v1\n', 'actionRepositories'],
    ['a file outside .github/workflows', '    uses: ./ci/called.yml\n', "'./.github/workflows/<file>.yml'"],
  ])('%s', async (_name, job, message) => {
    await expect(run(job)).rejects.toThrow(message);
  });

  it('a value of the wrong type fails the calling job, naming the input and the type', async () => {
    const repo = path.join(dir, 'typed');
    await makeTree(repo, {
      '.github/workflows/called.yml': called,
      '.github/workflows/w.yml':
        'on: push\njobs:\n  caller:\n    uses: ./.github/workflows/called.yml\n    with: { n: "three" }\n    secrets: { S: x }\n',
    });
    const typed = await runWorkflow({
      workflowFile: '.github/workflows/w.yml',
      repoDir: repo,
      workDir: path.join(repo, 'w'),
    });
    expect(typed.jobs['caller']!.result).toBe('failure');
    expect(typed.jobs['caller']!.log.join('\n')).toContain(
      `Input 'n' of called.yml is a number; the call gives string "three"`,
    );
    expect(typed.jobs['caller/j']).toBeUndefined();
  });
});
