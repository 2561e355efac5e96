/**
 * The workflow's artifact service accepts connections and never answers (or
 * answers the headers and stalls the body): build and release, run as the
 * runner runs them (the bundles in dist/), fail within their deadline
 * ('deadline-minutes') with an error that says the artifact service did not
 * answer, and leave nothing half-made: the build sets no output, the release
 * creates nothing on the (answering) GitHub server. And a build command that
 * outlives the build's deadline is stopped with everything it started.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { backendIdsFor, RuntimeTokens } from '@build-release-run/workflow-runner';
import { type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { releaseEnv, repositoryState, writeTestArchive } from '@build-release-run/test-helpers/release-action';
import { STALLS, runBundle, stalledServer } from '@build-release-run/test-helpers/stalled-server';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';

/** Six seconds: long enough for the first steps under load, short for a test. */
const DEADLINE = '0.1';
/**
 * Three seconds, where the first call to the artifact service is the one
 * that stalls and each test waits the whole deadline: only the start of a
 * Node process and a small pack have to fit before it.
 */
const STALL_DEADLINE = '0.05';
/** The deadline, and room for a loaded machine to start and end a Node process. */
const WITHIN_MS = 6_000 + 15_000;

let work: string;
let github: TestGitHub;
beforeAll(async () => {
  work = await tempDir('brr-stalled-artifacts-');
  github = await startTestGitHub();
});
afterAll(async () => {
  await github.close();
  await removeDir(work);
});

/** A node action's env, as the runner gives it: the artifact service's URL and a runtime token it issued. */
function artifactEnv(resultsUrl: string): Record<string, string> {
  return {
    // @actions/artifact refuses any other server as GitHub Enterprise Server, which it does not support.
    GITHUB_SERVER_URL: 'https://github.com',
    ACTIONS_RESULTS_URL: `${resultsUrl}/`,
    ACTIONS_RUNTIME_TOKEN: new RuntimeTokens().issue(backendIdsFor('7', 'build')),
  };
}

async function buildEnv(
  name: string,
  inputs: Record<string, string>,
  deadline: string = DEADLINE,
): Promise<Record<string, string>> {
  const workspace = path.join(work, name);
  await makeTree(workspace, { 'dist/index.html': '<p>hi</p>\n' });
  const env: Record<string, string> = {
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_RUN_ID: '7',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: path.join(work, `${name}-temp`),
    GITHUB_OUTPUT: path.join(work, `${name}-output`),
    'INPUT_DEADLINE-MINUTES': deadline,
    INPUT_PATH: 'dist',
    INPUT_ATTEST: 'false',
  };
  await mkdir(env['RUNNER_TEMP']!, { recursive: true });
  for (const [input, value] of Object.entries(inputs)) env[`INPUT_${input.toUpperCase()}`] = value;
  return env;
}

const outputs = async (env: Record<string, string>): Promise<string> =>
  existsSync(env['GITHUB_OUTPUT']!) ? readFile(env['GITHUB_OUTPUT']!, 'utf8') : '';

describe.each(STALLS)('an artifact service that %s', (label, behaviour) => {
  const slug = label.replaceAll(/\W+/g, '-');

  it('build fails at its deadline saying the artifact service did not answer; no output is set', async () => {
    const service = await stalledServer(behaviour);
    const env = { ...(await buildEnv(`build-${slug}`, {}, STALL_DEADLINE)), ...artifactEnv(service.url) };
    const result = await runBundle('build', env);
    expect(result.code).toBe(1);
    expect(result.error).toMatch(
      /^The build did not finish within its deadline \(input 'deadline-minutes': 0\.05\) and stopped while waiting for the artifact service to answer .*'build-sha256-[0-9a-f]{64}'.*: the artifact service did not answer in time\. No build artifact was left half-made/,
    );
    expect(result.ms).toBeLessThan(WITHIN_MS);
    expect(service.connections()).toBeGreaterThanOrEqual(1);
    expect(await outputs(env)).toBe('');
  });

  it('release fails at its deadline saying the artifact service did not answer; nothing is created', async () => {
    const service = await stalledServer(behaviour);
    const archive = await writeTestArchive(work);
    const before = await repositoryState(github.server);
    const env = {
      ...(await releaseEnv({
        server: github.server,
        workDir: work,
        commit: github.repo.commits.at(-1)!,
        runId: '7',
        inputs: { digest: archive.digest, version: '1.0.0', 'deadline-minutes': STALL_DEADLINE },
      })),
      ...artifactEnv(service.url),
    };
    const result = await runBundle('release', env);
    expect(result.code).toBe(1);
    expect(result.error).toMatch(
      /^The release did not finish within its deadline \(input 'deadline-minutes': 0\.05\) and stopped while waiting for the artifact service to answer .*'build-sha256-[0-9a-f]{64}'.*: the artifact service did not answer in time\. Nothing half-made was published/,
    );
    expect(result.ms).toBeLessThan(WITHIN_MS);
    expect(await repositoryState(github.server)).toEqual(before);
  });
});

it('a build command still running at the deadline is stopped with what it started, and the build says so', async () => {
  const env = await buildEnv('long-command', {
    // A child of the shell that would outlive a shell stopped alone.
    run: 'sleep 600 & echo $! > sleep.pid; wait; touch finished',
  });
  const result = await runBundle('build', env);
  expect(result.code).toBe(1);
  expect(result.error).toMatch(
    /^The build did not finish within its deadline \(input 'deadline-minutes': 0\.1\) and stopped while running the build command \(input 'run'\)\. /,
  );
  expect(result.ms).toBeLessThan(WITHIN_MS);
  const pid = Number(await readFile(path.join(env['GITHUB_WORKSPACE']!, 'sleep.pid'), 'utf8'));
  expect(await endsSoon(pid)).toBe(true);
  expect(existsSync(path.join(env['GITHUB_WORKSPACE']!, 'finished'))).toBe(false);
  expect(await outputs(env)).toBe('');
});

/**
 * Whether a process ends within two seconds of its group being stopped. An
 * orphan that has exited stays a zombie until the machine's init reaps it,
 * which may take a moment: a zombie has ended. A `sleep 600` still asleep
 * after two seconds has not.
 */
async function endsSoon(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 2000; waited += 100) {
    let stat: string;
    try {
      stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return true; // gone, and reaped
    }
    // Field 3, after the command name in parentheses: R, S, D, … or Z (zombie).
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return true;
    await sleep(100);
  }
  return false;
}
