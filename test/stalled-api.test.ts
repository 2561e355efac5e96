/**
 * A GitHub API that accepts connections and never answers (or answers the
 * headers and stalls the body): deploy and release, run as the runner runs
 * them (the bundles in dist/, in a Node process of their own), fail within
 * their deadline ('deadline-minutes') with an error that says the API did
 * not answer, and leave nothing half-made: against the local GitHub server
 * stalled in the middle of a run, no deployment is left in progress and no
 * release is published.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DeployHarness, startDeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { TEST_TOKEN } from '@build-release-run/test-helpers/github-server';
import {
  type TestArchive,
  releaseEnv,
  repositoryState,
  writeTestArchive,
} from '@build-release-run/test-helpers/release-action';
import { gatewayFor } from '@build-release-run/action-deploy/test-harness';
import { STALLS, runBundle, stalledServer as stalledApi } from '@build-release-run/test-helpers/stalled-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

/** Six seconds: long enough for the first requests under load, short for a test. */
const DEADLINE = '0.1';
/**
 * Three seconds, where the very first request is the one that stalls: no
 * other request has to fit before the deadline, only the start of a Node
 * process, and each of these tests waits the whole deadline.
 */
const FIRST_REQUEST_DEADLINE = '0.05';

let work: string;
let archive: TestArchive;
beforeAll(async () => {
  work = await tempDir('brr-stalled-');
  archive = await writeTestArchive(work);
});
afterAll(async () => {
  await removeDir(work);
});

function deployEnv(
  apiUrl: string,
  inputs: Record<string, string>,
  deadline: string = DEADLINE,
): Record<string, string> {
  const env: Record<string, string> = {
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '7',
    GITHUB_WORKSPACE: work,
    RUNNER_TEMP: work,
    INPUT_TOKEN: TEST_TOKEN,
    INPUT_ENVIRONMENT: 'production',
    'INPUT_DEADLINE-MINUTES': deadline,
    // The releases here are not signed: what is tested is the stall.
    'INPUT_VERIFY-PROVENANCE': 'false',
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

describe.each(STALLS)('a GitHub API that %s', (_name, behaviour) => {
  it('deploy fails at its deadline saying the API did not answer', async () => {
    const api = await stalledApi(behaviour);
    const result = await runBundle(
      'deploy',
      deployEnv(api.url, { tag: 'v1', run: 'touch ran' }, FIRST_REQUEST_DEADLINE),
    );
    expect(result.code).toBe(1);
    expect(result.error).toMatch(
      /^The deploy did not finish within its deadline \(input 'deadline-minutes': 0\.05\) and stopped while waiting for GitHub to answer GET \/repos\/\{owner\}\/\{repo\}\/releases\/tags\/\{tag\}.*: the API did not answer in time\. Nothing was left half-made/,
    );
    expect(api.connections()).toBeGreaterThanOrEqual(1);
  });

  it('release fails at its deadline saying the API did not answer', async () => {
    const api = await stalledApi(behaviour);
    const env = await releaseEnv({
      server: { url: api.url } as Parameters<typeof releaseEnv>[0]['server'],
      workDir: work,
      commit: 'a'.repeat(40),
      runId: '8',
      inputs: { digest: archive.digest, archive: archive.file, 'deadline-minutes': FIRST_REQUEST_DEADLINE },
    });
    const result = await runBundle('release', env);
    expect(result.code).toBe(1);
    expect(result.error).toMatch(
      /^The release did not finish within its deadline \(input 'deadline-minutes': 0\.05\) and stopped while waiting for GitHub to answer GET \/repos\/\{owner\}\/\{repo\}\/releases.*: the API did not answer in time\. Nothing half-made was published/,
    );
  });
});

describe('the local GitHub server stalls in the middle of a run', () => {
  let h: DeployHarness;
  beforeAll(async () => {
    h = await startDeployHarness(
      (url) => gatewayFor(url),
      () => Promise.resolve(),
    );
    await h.publish({ tag: 'v1', files: { 'app.txt': 'v1\n' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('deploy: the archive download stalls after the deployment was made; it is marked error, nothing ran', async () => {
    // Asset bytes are fetched in this order: release.json, config.env, the archive (SHA256SUMS is not read:
    // GitHub's digest of it is that of the text release.json implies).
    h.gh.server.faults.add({ kind: 'slow', route: 'storage', nth: 3, times: 10, delayMs: 15_000 });
    const result = await runBundle(
      'deploy',
      deployEnv(h.gh.server.url, { tag: 'v1', run: 'touch "$MARKER_DIR/ran-v1"' }),
    );
    h.gh.server.faults.clear();
    expect(result.code).toBe(1);
    expect(result.error).toMatch(
      /^The deploy did not finish within its deadline .* while waiting for GitHub to answer .*releases\/assets\/\{asset_id\}.*: the API did not answer in time/,
    );
    expect(await h.ran()).toEqual([]);
    const api = gatewayFor(h.gh.server.url);
    const [deployment] = await api.listDeployments();
    const states = (await api.listDeploymentStatuses(deployment!.id)).map((s) => s.state);
    expect(states).toEqual(['error', 'in_progress']);
  });

  it('release: an upload stalls; the draft is not published and no tag points at a release', async () => {
    h.gh.server.faults.add({ kind: 'slow', route: 'repos/upload-release-asset', times: 10, delayMs: 15_000 });
    const before = await repositoryState(h.gh.server);
    await writeFile(path.join(work, 'stall.env'), 'A=1\n');
    const env = await releaseEnv({
      server: h.gh.server,
      workDir: work,
      commit: h.commits[0] as string,
      runId: '9',
      inputs: { digest: archive.digest, archive: archive.file, version: '9.0.0', 'deadline-minutes': DEADLINE },
    });
    const result = await runBundle('release', env);
    h.gh.server.faults.clear();
    expect(result.code).toBe(1);
    expect(result.error).toMatch(
      /^The release did not finish within its deadline .* while waiting for GitHub to answer POST .*\/assets: the API did not answer in time\. Nothing half-made was published/,
    );
    const after = await repositoryState(h.gh.server);
    const published = (state: typeof after) => state.releases.filter((r) => !r.draft).map((r) => r.tag);
    expect(published(after)).toEqual(published(before));
    expect(after.releases.find((r) => r.tag === 'v9.0.0')?.draft ?? true).toBe(true);
  });
});
