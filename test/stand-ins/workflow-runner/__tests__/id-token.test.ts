// Jobs that grant `id-token: write` get ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN
// and a token with GitHub's claim set; other jobs get neither.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { GITHUB_ACTIONS_ISSUER, createOidcIssuer, verifyOidcToken } from '@build-release-run/sigstore-server';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { type RunWorkflowResult, runWorkflow } from '../src/index.ts';
import { grantedPermissions, permissionLevel } from '../src/permissions.ts';
import { parseWorkflowText } from '../src/workflow-file.ts';

// A run step that asks for a token like @actions/core's getIDToken and prints it.
const FETCH_TOKEN = `node -e '
const u = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
if (!u) { console.log("no-token-url"); process.exit(0); }
fetch(u + "&audience=sigstore", { headers: { authorization: "Bearer " + process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN } })
  .then((r) => r.json()).then((b) => console.log("jwt=" + b.value.split(".").join(" ")));
'`;

const WORKFLOW = `name: sign
on: push
permissions:
  contents: read
jobs:
  signer:
    runs-on: ubuntu-latest
    environment: production
    permissions:
      id-token: write
      attestations: write
    steps:
      - run: ${JSON.stringify(FETCH_TOKEN)}
  plain:
    runs-on: ubuntu-latest
    steps:
      - run: ${JSON.stringify(FETCH_TOKEN)}
`;

const issuer = createOidcIssuer();
let dir: string;
let result: RunWorkflowResult;
beforeAll(async () => {
  dir = await tempDir('brr-id-token-');
  await makeTree(path.join(dir, 'repo'), { '.github/workflows/sign.yml': WORKFLOW });
  result = await runWorkflow({
    workflowFile: '.github/workflows/sign.yml',
    repoDir: path.join(dir, 'repo'),
    repository: 'octo/shop',
    sha: 'f'.repeat(40),
    repositoryId: '42',
    repositoryOwnerId: '7',
    oidcIssuer: issuer,
    workDir: path.join(dir, 'work'),
    runId: '99',
  });
});
afterAll(async () => {
  await removeDir(dir);
});

function tokenFrom(log: string[]): string {
  const line = log.find((l) => l.startsWith('jwt='));
  if (!line) throw new Error(`no token in the log:\n${log.join('\n')}`);
  return line.slice('jwt='.length).split(' ').join('.');
}

describe('a job that grants id-token: write', () => {
  it('gets a token signed by the run issuer with GitHub claim set', () => {
    expect(result.conclusion).toBe('success');
    const claims = verifyOidcToken(tokenFrom(result.jobs['signer']!.log), [issuer], 'sigstore');
    expect(claims).toMatchObject({
      iss: GITHUB_ACTIONS_ISSUER,
      aud: 'sigstore',
      sub: 'repo:octo/shop:environment:production',
      repository: 'octo/shop',
      repository_id: '42',
      repository_owner: 'octo',
      repository_owner_id: '7',
      repository_visibility: 'public',
      workflow: 'sign',
      workflow_ref: 'octo/shop/.github/workflows/sign.yml@refs/heads/main',
      job_workflow_ref: 'octo/shop/.github/workflows/sign.yml@refs/heads/main',
      workflow_sha: 'f'.repeat(40),
      job_workflow_sha: 'f'.repeat(40),
      ref: 'refs/heads/main',
      ref_type: 'branch',
      sha: 'f'.repeat(40),
      run_id: '99',
      run_number: '1',
      run_attempt: '1',
      runner_environment: 'github-hosted',
      event_name: 'push',
      environment: 'production',
    });
  });
});

describe('a job without id-token: write', () => {
  it('gets no token request URL', () => {
    expect(result.jobs['plain']!.log).toContain('no-token-url');
  });
});

describe('permissions', () => {
  it.each([
    [
      'job block over workflow block',
      'none',
      'permissions: write-all\njobs:\n  j:\n    runs-on: x\n    permissions:\n      contents: read\n    steps: [{run: x}]',
    ],
    ['workflow write-all', 'write', 'permissions: write-all\njobs:\n  j:\n    runs-on: x\n    steps: [{run: x}]'],
    ['no block at all', 'none', 'jobs:\n  j:\n    runs-on: x\n    steps: [{run: x}]'],
    [
      'job grants it',
      'write',
      'jobs:\n  j:\n    runs-on: x\n    permissions:\n      id-token: write\n    steps: [{run: x}]',
    ],
  ])('%s: id-token is %s', async (_name, level, body) => {
    const workflow = await parseWorkflowText('w.yml', `on: push\n${body}\n`);
    const job = workflow.jobs[0]!;
    expect(permissionLevel(grantedPermissions(job.permissions, 'permissive'), 'id-token')).toBe(level);
  });

  it('reads read-all as read for every scope', async () => {
    const workflow = await parseWorkflowText(
      'w.yml',
      'on: push\npermissions: read-all\njobs:\n  j:\n    runs-on: x\n    steps: [{run: x}]\n',
    );
    const granted = grantedPermissions(workflow.jobs[0]!.permissions, 'permissive');
    expect(permissionLevel(granted, 'contents')).toBe('read');
    expect(permissionLevel(granted, 'id-token')).not.toBe('write');
  });
});
