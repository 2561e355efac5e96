/**
 * Counts the GitHub API requests a release and a deploy make: the bundled
 * actions (dist/, what action.yml runs) as their own processes, against the
 * local server holding `existing` other releases, releases attested as the
 * workflows would attest them and deploys verifying that provenance. Shared
 * by the request-count test (in `pnpm test`) and the benches.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RequestLogEntry } from '@build-release-run/github-server';
import type { Digest } from '@build-release-run/contract';
import { renderMarker } from '@build-release-run/release-format';
import { githubClaims } from './provenance-fixtures.ts';
import type { GitHubApi } from '@build-release-run/github-api';
import { gitHubClient } from '@build-release-run/action-kit/github';
import { parseKeyValueFile } from '@build-release-run/workflow-runner';
import { attestTestRelease } from './attest-release.ts';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from './github-server.ts';
import { collectEntries, packArchive, walk } from '@build-release-run/archive';
import { archiveAssetName } from '@build-release-run/release-format';
import { RELEASE_BUNDLE, type TestArchive, releaseEnv, runReleaseProcess } from './release-action.ts';
import { makeTree } from './tree.ts';
import { type TestSigstore, startTestSigstore } from './sigstore.ts';
import { removeDir, tempDir } from './tree.ts';

export const DEPLOY_BUNDLE = path.resolve(import.meta.dirname, '../../dist/deploy/index.js');

/** How requests are counted, for the benches to print beside the figures. */
export const COUNTING_RULE =
  'counted: every request to the REST API (asset uploads included); an asset download counts once, as the API request that answers 302, not the GET of the storage URL it redirects to';

/** The requests to GitHub's API among those the server logged from index `from` on. */
export function apiRequests(log: readonly RequestLogEntry[], from = 0): RequestLogEntry[] {
  return log.slice(from).filter((entry) => entry.operationId !== 'storage' && entry.operationId !== 'control');
}

/** Requests to the attestations API (storing at release, reading at deploy). */
export function attestationRequests(requests: readonly RequestLogEntry[]): number {
  return requests.filter((entry) => entry.path.includes('/attestations')).length;
}

/** One line of a bench's table: the count, and the count without the attestations API. */
export function countLine(what: string, requests: readonly RequestLogEntry[]): string {
  const attestations = attestationRequests(requests);
  return `${what}: ${requests.length} API requests (${attestations} of them to the attestations API; ${requests.length - attestations} without)`;
}

/** The requests themselves, one per line, for `--log`. */
export function requestLines(requests: readonly RequestLogEntry[]): string[] {
  return requests.map((entry) => `    ${entry.method} ${entry.path} → ${entry.status}`);
}

export interface CountedRun {
  requests: RequestLogEntry[];
  outputs: Record<string, string>;
}

export interface CountingRepo {
  gh: TestGitHub;
  /** Runs the bundled release action for `environment`; `config` makes each release differ. */
  release(environment: string, config: string): Promise<CountedRun & { tag: string }>;
  /** Runs the bundled deploy action with these inputs (tag, environment …). */
  deploy(inputs: Record<string, string>): Promise<CountedRun>;
  close(): Promise<void>;
}

/**
 * A repository with `existing` published releases of another environment
 * (made earlier, each with the release action's body marker, no assets).
 */
export async function startCountingRepo(existing: number): Promise<CountingRepo> {
  const gh = await startTestGitHub({ immutableReleases: true }, 1);
  const sigstore = await startTestSigstore();
  const work = await tempDir('brr-request-counts-');
  const commit = gh.repo.commits[0] as string;
  const archive = await smallBuild(work);
  await seedReleases(gh, commit, archive, existing);
  const idTokens = await startIdTokenEndpoint(sigstore, commit);
  const trustedRoot = await sigstore.writeTrustedRoot(work);
  const eventPath = path.join(work, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      repository: { full_name: 'octo/app', default_branch: 'main', private: false, visibility: 'public' },
    }),
  );
  const api = gitHubClient(
    { token: TEST_TOKEN, apiUrl: gh.server.url, repository: 'octo/app' },
    { info: () => undefined },
  );
  let runs = 100;
  return {
    gh,
    async release(environment, config) {
      const runId = String(++runs);
      const env = await releaseEnv({
        server: gh.server,
        workDir: work,
        commit,
        runId,
        inputs: { digest: archive.digest, archive: archive.file, config, environment, attest: 'true' },
      });
      const from = gh.server.requests.length;
      const result = await runReleaseProcess(
        {
          ...env,
          ACTIONS_ID_TOKEN_REQUEST_URL: idTokens.url,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request',
          BRR_SIGSTORE_URL: sigstore.server.url,
          GITHUB_EVENT_PATH: eventPath,
        },
        RELEASE_BUNDLE,
      );
      if (result.failure !== undefined)
        throw new Error(`release run ${runId} failed: ${result.failure}\n${result.log}`);
      const requests = apiRequests(gh.server.requests, from);
      const tag = result.outputs['tag'] as string;
      // The build's provenance, as the build job would have stored it (not the release's requests).
      const manifest = JSON.parse(await readFile(await manifestOf(api, tag, work), 'utf8')) as {
        build: { digest: Digest };
        config: { digest: Digest };
      };
      await attestTestRelease(
        api.client,
        sigstore,
        {
          tag,
          environment,
          commit,
          manifestDigest: result.outputs['manifest-digest'] as Digest,
          buildDigest: manifest.build.digest,
          configDigest: manifest.config.digest,
        },
        { release: false },
      );
      return { requests, outputs: result.outputs, tag };
    },
    async deploy(inputs) {
      const temp = path.join(work, `deploy-${++runs}`);
      await mkdir(temp, { recursive: true });
      const output = path.join(temp, 'output');
      await writeFile(output, '');
      const summary = path.join(temp, 'summary');
      await writeFile(summary, '');
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        INPUT_TOKEN: TEST_TOKEN,
        INPUT_RUN: 'true',
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_API_URL: gh.server.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_RUN_ID: String(runs),
        GITHUB_WORKSPACE: temp,
        GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/deploy.yml@refs/heads/main',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        BRR_SIGSTORE_TRUSTED_ROOT: trustedRoot,
        RUNNER_TEMP: temp,
      };
      for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
      const from = gh.server.requests.length;
      const { code, log } = await runProcess(DEPLOY_BUNDLE, env);
      if (code !== 0) throw new Error(`deploy ${JSON.stringify(inputs)} failed:\n${log}`);
      return {
        requests: apiRequests(gh.server.requests, from),
        outputs: parseKeyValueFile(await readFile(output, 'utf8'), 'GITHUB_OUTPUT'),
      };
    },
    async close() {
      idTokens.close();
      await sigstore.close();
      await gh.close();
      await removeDir(work);
    },
  };
}

/** Releases made before the ones measured (for another environment), 25 at a time. */
async function seedReleases(gh: TestGitHub, commit: string, archive: TestArchive, count: number): Promise<void> {
  for (let start = 1; start <= count; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - start + 1) }, async (_, i) => {
        const n = start + i;
        const marker = renderMarker({
          run: String(n),
          attempt: '1',
          environment: 'staging',
          digest: archive.digest,
          config: archive.digest,
          commit,
          createdAt: new Date(0).toISOString(),
          previous: null,
        });
        const response = await fetch(`${gh.server.url}/repos/octo/app/releases`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            tag_name: `v${n}`,
            target_commitish: commit,
            name: `v${n}`,
            body: `old release\n${marker}`,
          }),
        });
        if (!response.ok) throw new Error(`seeding v${n}: ${response.status} ${await response.text()}`);
      }),
    );
  }
}

/** The runner's OIDC endpoint for a job of build-release.yml on main (what the release job is given). */
async function startIdTokenEndpoint(sigstore: TestSigstore, commit: string): Promise<{ url: string; close(): void }> {
  const claims = githubClaims({
    repository: 'octo/app',
    workflowFile: '.github/workflows/build-release.yml',
    ref: 'refs/heads/main',
    sha: commit,
  });
  const server = createServer((req, res) => {
    const audience = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('audience') ?? 'sigstore';
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ value: sigstore.issuer.issue(claims, audience) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // Like GitHub's URL, it has a query already: @actions/core appends `&audience=`.
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/idtoken?api-version=2.0`,
    close: () => server.close(),
  };
}

async function manifestOf(api: GitHubApi, tag: string, work: string): Promise<string> {
  const release = await api.getReleaseByTag(tag);
  const asset = release?.assets.find((a) => a.name === 'release.json');
  if (!asset) throw new Error(`no release.json in ${tag}`);
  const file = path.join(work, `manifest-${tag}.json`);
  await api.downloadReleaseAsset(asset.id, file);
  return file;
}

async function runProcess(entry: string, env: Record<string, string>): Promise<{ code: number | null; log: string }> {
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, log };
}

/** A small build archive as the build action makes it (named after its digest). */
async function smallBuild(work: string): Promise<TestArchive> {
  const root = path.join(work, 'build');
  await makeTree(root, { 'app.txt': 'hello\n' });
  const packed = await packArchive({
    entries: await collectEntries(root, await walk(root)),
    format: 'tar.gz',
    mtime: 0,
    output: path.join(work, 'build.tar.gz'),
  });
  const name = archiveAssetName('app', packed.digest, 'tar.gz');
  await rename(path.join(work, 'build.tar.gz'), path.join(work, name));
  return { file: path.join(work, name), digest: packed.digest, name };
}

export interface MeasuredCounts {
  /** A release with a previous release of its environment to diff against. */
  release: CountedRun & { tag: string };
  /** Deploys in production, after two releases and a deploy of the first. */
  deploys: { tag: CountedRun; previous: CountedRun; latest: CountedRun; current: CountedRun };
}

/** The scenario the benches print and the request-count test bounds, with `existing` other releases. */
export async function measureCounts(existing: number): Promise<MeasuredCounts> {
  const repo = await startCountingRepo(existing);
  try {
    const first = await repo.release('production', 'A=1');
    const release = await repo.release('production', 'A=2');
    await repo.deploy({ tag: first.tag, environment: 'production' });
    const tag = await repo.deploy({ tag: release.tag, environment: 'production' });
    const previous = await repo.deploy({ tag: 'previous', environment: 'production' });
    const latest = await repo.deploy({ tag: 'latest', environment: 'production' });
    const current = await repo.deploy({ tag: 'current', environment: 'production' });
    return { release, deploys: { tag, previous, latest, current } };
  } finally {
    await repo.close();
  }
}
