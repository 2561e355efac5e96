/**
 * A local GitHub with releases in the agreed format, and a way to run the
 * deploy action's `run()` against it as a workflow step would.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { GitHubApi } from '../../packages/github-api/src/index.ts';
import { type ActionRun, inputEnv, runAction } from './action-env.ts';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from './github-server.ts';
import { publishTestRelease, type TestRelease, type TestReleaseSpec } from './deploy-releases.ts';
import { removeDir, tempDir } from './tree.ts';

export const SECRET_VALUE = 's3cr3t-Value-that-must-never-print';

/** Writes a marker per tag, the command's environment, and prints a line with the secret in it. */
export const MARKER_COMMAND = [
  'echo "deploying $RELEASE_TAG"',
  'env > "$MARKER_DIR/env-$RELEASE_TAG"',
  'cp app.txt "$MARKER_DIR/app-$RELEASE_TAG"',
  'echo "connecting with $DB_PASSWORD"',
  'touch "$MARKER_DIR/ran-$RELEASE_TAG"',
].join('\n');

export interface DeployHarness {
  gh: TestGitHub;
  work: string;
  markers: string;
  commits: string[];
  publish(spec: Omit<TestReleaseSpec, 'commit'> & { commit?: string }): Promise<TestRelease>;
  deploy(inputs: Record<string, string>, env?: Record<string, string | undefined>): Promise<ActionRun>;
  /** Marker files the command created (ran-<tag> …). */
  ran(): Promise<string[]>;
  /** Forgets what earlier deploys ran (removes the markers), for tests that deploy successfully first. */
  resetMarkers(): Promise<void>;
  close(): Promise<void>;
}

export async function startDeployHarness(
  makeApi: (baseUrl: string) => GitHubApi,
  run: () => Promise<void>,
): Promise<DeployHarness> {
  // Immutable releases on, as deploy expects by default (a test turns them off to show the refusal).
  const gh = await startTestGitHub({ readOnlyTokens: ['read-only-token'], immutableReleases: true }, 3);
  const work = await tempDir('brr-deploy-test-');
  const markers = path.join(work, 'markers');
  await mkdir(markers);
  await mkdir(path.join(work, 'runner-temp'));
  const api = makeApi(gh.server.url);
  return {
    gh,
    work,
    markers,
    commits: gh.repo.commits,
    publish: (spec) => publishTestRelease(api, { commit: gh.repo.commits[0] as string, ...spec }, work),
    deploy: (inputs, env = {}) =>
      runAction(run, {
        ...inputEnv({ token: TEST_TOKEN, run: MARKER_COMMAND, ...inputs }),
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_API_URL: gh.server.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_RUN_ID: '4242',
        GITHUB_WORKSPACE: work,
        GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/deploy.yml@refs/heads/main',
        RUNNER_TEMP: path.join(work, 'runner-temp'),
        MARKER_DIR: markers,
        DB_PASSWORD: SECRET_VALUE,
        ...env,
      }),
    resetMarkers: async () => {
      for (const name of await readdir(markers)) await rm(path.join(markers, name), { force: true });
    },
    ran: async () => (existsSync(markers) ? (await readdir(markers)).filter((n) => n.startsWith('ran-')).sort() : []),
    async close() {
      await gh.close();
      await removeDir(work);
    },
  };
}
