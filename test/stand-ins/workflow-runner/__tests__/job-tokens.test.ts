// Each job's GITHUB_TOKEN grants exactly the job's `permissions:`, and the
// local GitHub server answers it as GitHub answers a job's token: the
// bundled release action in a job with `contents: read` cannot release and
// says `contents: write`; `{}` cannot read releases of a private
// repository; `read-all` reads but cannot write; a job's token ends with
// the job.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import {
  TEST_TOKEN,
  type TestGitHub,
  requestFailure,
  startTestGitHub,
} from '@build-release-run/test-helpers/github-server';
import { writeTestArchive } from '@build-release-run/test-helpers/release-action';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { type RunWorkflowResult, runWorkflow } from '../src/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..', '..');

// A step that calls the API with the job's token and prints the status of each call.
const probe = (calls: string): string =>
  JSON.stringify(`node -e '
const api = process.env.GITHUB_API_URL + "/repos/" + process.env.GITHUB_REPOSITORY;
const headers = { authorization: "Bearer " + process.env.TOKEN, "content-type": "application/json" };
const calls = ${calls};
(async () => { for (const [name, method, route, body] of calls) {
  const r = await fetch(api + route, { method, headers, body: body && JSON.stringify(body) });
  console.log(name + "=" + r.status + " " + (r.status >= 400 ? (await r.json()).message : ""));
} })();
'`);

const READ = '[["list", "GET", "/releases"]]';
const READ_AND_WRITE = '[["list", "GET", "/releases"], ["create", "POST", "/releases", { tag_name: "v99" }]]';

function workflow(archive: string, digest: string): string {
  return `name: tokens
on: push
permissions: {}
jobs:
  release-with-contents-read:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: OWNER/build-release-run/actions/release@v1
        with:
          digest: ${digest}
          archive: ${archive}
          environment: staging
  nothing:
    runs-on: ubuntu-latest
    steps:
      - env: { TOKEN: "\${{ github.token }}" }
        run: ${probe(READ)}
  read-all:
    runs-on: ubuntu-latest
    permissions: read-all
    steps:
      - env: { TOKEN: "\${{ secrets.GITHUB_TOKEN }}" }
        run: ${probe(READ_AND_WRITE)}
      - env: { TOKEN: "\${{ github.token }}" }
        run: printf '%s' "$TOKEN" > "$RUNNER_TEMP/../token"
`;
}

let dir: string;
let github: TestGitHub;
let result: RunWorkflowResult;
beforeAll(async () => {
  dir = await tempDir('brr-job-tokens-');
  github = await startTestGitHub({ visibility: { 'octo/app': 'private' } });
  const repo = path.join(dir, 'repo');
  await mkdir(repo, { recursive: true });
  const archive = await writeTestArchive(repo);
  await makeTree(repo, { '.github/workflows/tokens.yml': workflow(archive.name, archive.digest) });
  result = await runWorkflow({
    workflowFile: '.github/workflows/tokens.yml',
    repoDir: repo,
    repository: 'octo/app',
    sha: github.repo.commits.at(-1)!,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    actionRepositories: { 'OWNER/build-release-run': repoRoot },
    workDir: path.join(dir, 'work'),
    runId: '5',
  });
}, 120_000);
afterAll(async () => {
  expect(github.server.responseViolations).toEqual([]);
  await github.close();
  await removeDir(dir);
});

describe('a job with contents: read', () => {
  it('cannot release with the release action, whose error names contents: write', async () => {
    const job = result.jobs['release-with-contents-read']!;
    expect(job.result).toBe('failure');
    const errors = job.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([expect.stringContaining("'permissions: contents: write'"), expect.any(String)]);
    expect(errors[0]).toContain('Resource not accessible by integration');
    const admin = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
    expect((await admin.rest.repos.listReleases({ owner: 'octo', repo: 'app' })).data).toEqual([]);
    expect(github.repo.git('tag', '--list')).toBe('');
  });

  it('is told in its log what its token was granted, as GitHub prints it', () => {
    const log = result.jobs['release-with-contents-read']!.log;
    const at = log.indexOf('GITHUB_TOKEN Permissions');
    expect(log.slice(at, at + 3)).toEqual(['GITHUB_TOKEN Permissions', '  Contents: read', '  Metadata: read']);
  });
});

describe('a job with {} (the workflow grants nothing)', () => {
  it('cannot read the releases of a private repository', () => {
    expect(result.jobs['nothing']!.log).toContain('list=403 Resource not accessible by integration');
  });
});

describe('a job with read-all', () => {
  it('reads, but cannot write', () => {
    const log = result.jobs['read-all']!.log;
    expect(log).toContain('list=200 ');
    expect(log).toContain('create=403 Resource not accessible by integration');
  });

  it('had a token of its own that ended with the job', async () => {
    const token = await readFile(path.join(result.jobs['read-all']!.workspace, '..', 'token'), 'utf8');
    expect(token).toMatch(/^ghs_/);
    expect(token).not.toBe(TEST_TOKEN);
    const after = await requestFailure(
      getOctokit(token, { baseUrl: github.server.url }).rest.repos.listReleases({ owner: 'octo', repo: 'app' }),
    );
    expect(after.status).toBe(401);
  });

  it('has its token masked in every log', () => {
    const text = Object.values(result.jobs)
      .flatMap((job) => job.log)
      .join('\n');
    expect(text).not.toMatch(/ghs_[A-Za-z0-9]{36}/);
  });
});
