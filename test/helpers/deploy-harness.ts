/**
 * A local GitHub with releases in the agreed format, and a way to run the
 * deploy action's `run()` against it as a workflow step would.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Digest } from '@build-release-run/contract';
import type { GitHubApi } from '@build-release-run/github-api';
import type { ReleaseManifest } from '@build-release-run/release-format';
import { type ActionRun, inputEnv, runAction } from './action-env.ts';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from './github-server.ts';
import { publishTestRelease, type TestRelease, type TestReleaseSpec } from './deploy-releases.ts';
import { removeDir, tempDir } from './tree.ts';
import { type SignerSpec, attestPublished, attestTestRelease } from './attest-release.ts';
import { type TestSigstore, startTestSigstore } from './sigstore.ts';

export const SECRET_VALUE = 's3cr3t-Value-that-must-never-print';

/** Writes a marker per tag, the command's environment and config file, and prints a line with the secret in it. */
export const MARKER_COMMAND = [
  'echo "deploying $RELEASE_TAG"',
  'env > "$MARKER_DIR/env-$RELEASE_TAG"',
  'cp "$RELEASE_CONFIG_FILE" "$MARKER_DIR/config-$RELEASE_TAG"',
  'cp app.txt "$MARKER_DIR/app-$RELEASE_TAG"',
  'echo "connecting with $DB_PASSWORD"',
  'touch "$MARKER_DIR/ran-$RELEASE_TAG"',
].join('\n');

/**
 * How `publish` attests the release, as the build and release workflows
 * would (default: both by build-release.yml on main); `false`: unattested,
 * as a release made by hand with a contents: write token is.
 */
export type HarnessAttest = false | { release?: SignerSpec | false; build?: SignerSpec | false };

export interface DeployHarness {
  gh: TestGitHub;
  /** The local Sigstore whose trusted root deploy is given (BRR_SIGSTORE_TRUSTED_ROOT). */
  sigstore: TestSigstore;
  work: string;
  markers: string;
  commits: string[];
  publish(spec: Omit<TestReleaseSpec, 'commit'> & { commit?: string; attest?: HarnessAttest }): Promise<TestRelease>;
  /** Attests a release already published (by the release action run in-process, which has no OIDC token). */
  attestPublished(tag: string, attest?: Exclude<HarnessAttest, false>): Promise<void>;
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
  const sigstore = await startTestSigstore();
  const trustedRoot = await sigstore.writeTrustedRoot(work);
  // The event payload GitHub sends: deploy reads the default branch (source-ref) and the visibility from it.
  const eventPath = path.join(work, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      repository: { full_name: 'octo/app', default_branch: 'main', private: false, visibility: 'public' },
    }),
  );
  return {
    gh,
    sigstore,
    work,
    markers,
    commits: gh.repo.commits,
    async publish({ attest = {}, ...spec }) {
      const published = await publishTestRelease(api, { commit: gh.repo.commits[0] as string, ...spec }, work);
      await attestPublished(api.client, sigstore, published, attest);
      return published;
    },
    async attestPublished(tag, attest = {}) {
      const release = await api.getReleaseByTag(tag);
      const asset = release?.assets.find((a) => a.name === 'release.json');
      if (!release || !asset) throw new Error(`no release.json in ${tag}`);
      const file = path.join(work, `attest-${tag}.json`);
      const { digest } = await api.downloadReleaseAsset(asset.id, file);
      const manifest = JSON.parse(await readFile(file, 'utf8')) as ReleaseManifest;
      await attestTestRelease(
        api.client,
        sigstore,
        {
          tag,
          environment: manifest.environment,
          commit: manifest.build.commit,
          manifestDigest: digest as Digest,
          buildDigest: manifest.build.digest,
          configDigest: manifest.config.digest,
        },
        attest,
      );
    },
    deploy: (inputs, env = {}) =>
      runAction(run, {
        // A production deploy job unless the test says otherwise (releases are made for production by default).
        ...inputEnv({ token: TEST_TOKEN, run: MARKER_COMMAND, environment: 'production', ...inputs }),
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_API_URL: gh.server.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_RUN_ID: '4242',
        GITHUB_WORKSPACE: work,
        GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/deploy.yml@refs/heads/main',
        GITHUB_EVENT_PATH: eventPath,
        BRR_SIGSTORE_TRUSTED_ROOT: trustedRoot,
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
      await sigstore.close();
      await removeDir(work);
    },
  };
}
