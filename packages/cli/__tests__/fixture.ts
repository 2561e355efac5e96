/**
 * A repository on the local server (immutable releases on) with a small
 * ledger: v1 and v2 for staging (same build, changed config), v3 for
 * production (another build), each attested as the build and release
 * workflows would (build-release.yml on main, through a local Sigstore),
 * deployed as the deploy action records it: v1, v2, then a rollback to v1
 * in staging; v3 failing in production with a hostile status description.
 * `env` is brr's environment in a workflow of main: the token, the API, the
 * event payload (default branch main) and the local Sigstore's root.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { GitHubApi, type GitHubRequest } from '@build-release-run/github-api';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import {
  type TestRelease,
  type TestReleaseSpec,
  publishTestRelease,
} from '@build-release-run/test-helpers/deploy-releases';
import { type SignerSpec, attestPublished } from '@build-release-run/test-helpers/attest-release';
import { type TestSigstore, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

export const HOSTILE = 'boom \u001b]0;owned\u0007 \u001b[2J <script>alert(1)</script> \u009b31m';

export interface Fixture {
  github: TestGitHub;
  api: GitHubApi;
  sigstore: TestSigstore;
  env: NodeJS.ProcessEnv;
  releases: Record<string, TestRelease>;
  work: string;
  /** Publishes a release and attests it as the workflows would; `false` leaves it unattested. */
  publish(
    spec: Omit<TestReleaseSpec, 'commit'> & { commit?: string },
    signers?: false | { release?: SignerSpec | false; build?: SignerSpec | false },
  ): Promise<TestRelease>;
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const github = await startTestGitHub({ immutableReleases: true }, 3);
  const sigstore = await startTestSigstore();
  const work = await tempDir('brr-cli-');
  const octokit = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
  const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
  const api = new GitHubApi({ request, repository: 'octo/app' });
  const [c1, c2, c3] = github.repo.commits as [string, string, string];
  const publish: Fixture['publish'] = async (spec, signers = {}) => {
    const published = await publishTestRelease(api, { commit: c1, ...spec }, work);
    await attestPublished(api.client, sigstore, published, signers);
    return published;
  };
  const app = { 'server.js': 'console.log("hello")\n', 'public/index.html': '<h1>hi</h1>\n' };
  const releases: Record<string, TestRelease> = {};
  releases.v1 = await publish({
    tag: 'v1',
    environment: 'staging',
    files: app,
    config: { GREETING: 'hello', OLD: 'x' },
    secretKeys: ['DB_PASSWORD'],
    commit: c1,
  });
  releases.v2 = await publish({
    tag: 'v2',
    environment: 'staging',
    files: app,
    config: { GREETING: 'hello again', NEW: 'y' },
    secretKeys: ['API_KEY'],
    commit: c2,
  });
  releases.v3 = await publish({
    tag: 'v3',
    environment: 'production',
    files: { ...app, 'extra.txt': 'more\n' },
    commit: c3,
  });
  const deploy = async (tag: string, environment: string, state: 'success' | 'failure', description: string) => {
    const created = await api.createDeployment({ ref: tag, environment, task: 'deploy', description: tag });
    if (!created.created) throw new Error(created.message);
    await api.createDeploymentStatus(created.deployment.id, { state: 'in_progress', description: `Verifying ${tag}` });
    await api.createDeploymentStatus(created.deployment.id, {
      state,
      description,
      ...(state === 'success' ? { environment_url: `https://${environment}.example.com` } : {}),
    });
  };
  await deploy('v1', 'staging', 'success', 'Deployed v1');
  await deploy('v2', 'staging', 'success', 'Deployed v2');
  await deploy('v1', 'staging', 'success', 'Deployed v1');
  await deploy('v3', 'production', 'failure', HOSTILE);
  const eventPath = path.join(work, 'event.json');
  await writeFile(eventPath, JSON.stringify({ repository: { full_name: 'octo/app', default_branch: 'main' } }));
  return {
    github,
    api,
    sigstore,
    work,
    releases,
    publish,
    env: {
      GITHUB_TOKEN: TEST_TOKEN,
      GITHUB_API_URL: github.server.url,
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_EVENT_PATH: eventPath,
      BRR_SIGSTORE_TRUSTED_ROOT: await sigstore.writeTrustedRoot(work),
    },
    async close() {
      await github.close();
      await sigstore.close();
      await removeDir(work);
    },
  };
}
