/**
 * Issue 22 points 3, 4, 5 and 7, as an attacker would try them, through the
 * bundled actions (dist/, `pnpm bundle` first) run by the local runner,
 * signing through a local Sigstore the deploy job's trusted root holds:
 *
 *   3. bytes whose build a promote-only workflow signed do not deploy under
 *      the example's policy (build-signer: build-release.yml);
 *   4. bytes signed by the build workflow file of another branch, in a run
 *      of main, do not deploy;
 *   5. bytes whose signature has a timestamp but no transparency-log entry
 *      (the public-good root has logs) do not deploy;
 *   7. a staging release never deploys from a production job: not with the
 *      input misspelt, not with input 'environment: staging'.
 *
 * And promotion (from-release) carries the build's attestation forward and
 * never signs a build. Each refusal leaves no deployment and runs nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { GitHubApi } from '@build-release-run/github-api';
import { parseManifest } from '@build-release-run/release-format';
import { SLSA_PROVENANCE_PREDICATE_TYPE } from '@build-release-run/provenance';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { attestPublished, type SignerSpec } from '@build-release-run/test-helpers/attest-release';
import { publishTestRelease } from '@build-release-run/test-helpers/deploy-releases';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import {
  type TestSigstore,
  runAttestingWorkflow,
  startTestSigstore,
  storedBundles,
} from '@build-release-run/test-helpers/sigstore';
import { pipelineWorkflow } from '@build-release-run/test-helpers/pipeline';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

/** build then release for `environment`, as the example's build-release.yml. */
const BUILD_AND_RELEASE = (environment: string, content: string): string =>
  pipelineWorkflow({
    build: `mkdir -p out && echo "${content}" > out/index.html`,
    release: { environment, config: 'GREETING=hi' },
  });

/** The example's policy: only build-release.yml builds; either workflow releases. */
const EXAMPLE_POLICY = `          build-signer: build-release.yml
          release-signer: build-release.yml, promote.yml`;

function deployWorkflow(options: { tag: string; jobEnvironment?: string; idToken?: boolean; with: string }): string {
  return `name: deploy
on: push
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
${options.jobEnvironment === undefined ? '' : `    environment: ${options.jobEnvironment}\n`}    permissions:
      contents: read
      deployments: write
      attestations: read
${options.idToken ? '      id-token: write\n' : ''}    steps:
      - id: deploy
        uses: OWNER/build-release-run/actions/deploy@v1
        with:
          tag: ${options.tag}
          run: echo "deployed $RELEASE_TAG" > "$RUNNER_TEMP/ran-$RELEASE_TAG"
${options.with}
`;
}

let github: TestGitHub;
let sigstore: TestSigstore;
let dir: string;
let api: GitHubApi;
let runs = 0;
/** The legitimate staging release: built and released by build-release.yml on main. */
let staging: string;

function run(file: string, workflow: string): Promise<RunWorkflowResult> {
  return runAttestingWorkflow({ github, sigstore, dir, name: `run-${++runs}`, file, workflow });
}

const deploymentsCreated = () =>
  github.server.requests.filter((r) => r.operationId === 'repos/create-deployment' && r.status < 300).length;

/** The deploy job failed with an error naming `message`, created no deployment and ran nothing. */
async function expectRefused(workflow: string, message: RegExp): Promise<void> {
  const before = deploymentsCreated();
  const result = await run('deploy.yml', workflow);
  const job = result.jobs['deploy']!;
  expect(job.result).toBe('failure');
  // The action's error, then the runner's line for the failed step.
  expect(job.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    expect.stringMatching(message),
    'Node action completed with exit code 1.',
  ]);
  expect(job.log.join('\n')).not.toMatch(/Running the deploy command/);
  expect(deploymentsCreated()).toBe(before);
}

async function expectDeployed(workflow: string, tag: string): Promise<void> {
  const result = await run('deploy.yml', workflow);
  const job = result.jobs['deploy']!;
  expect([job.result, job.annotations.filter((a) => a.level === 'error')]).toEqual(['success', []]);
  expect(job.stepsById['deploy']?.outputs['tag']).toBe(tag);
}

beforeAll(async () => {
  github = await startTestGitHub({ immutableReleases: true });
  sigstore = await startTestSigstore();
  dir = await tempDir('brr-trust-policy-');
  const octokit = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
  api = new GitHubApi({ request: (route, parameters) => octokit.request(route, parameters), repository: 'octo/app' });
  const made = await run('build-release.yml', BUILD_AND_RELEASE('staging', 'the real build'));
  expect(made.conclusion).toBe('success');
  staging = made.jobs['release']!.outputs['tag']!;
}, 300_000);
afterAll(async () => {
  expect(github.server.responseViolations).toEqual([]);
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('point 3: one signer per claim', () => {
  it('does not deploy a build a promote-only workflow signed, and deploys the one build-release.yml signed', async () => {
    // Someone who may run promote.yml makes it build and release bytes of their own.
    const forged = await run('promote.yml', BUILD_AND_RELEASE('staging', 'bytes promote.yml built'));
    expect(forged.conclusion).toBe('success');
    const tag = forged.jobs['release']!.outputs['tag']!;
    await expectRefused(
      deployWorkflow({ tag, with: `          environment: staging\n${EXAMPLE_POLICY}` }),
      new RegExp(
        `^The attestation of the build of ${tag} \\(sha256:[0-9a-f]{64}\\) is refused: the signer workflow \\(certificate SAN\\) is https://github\\.com/octo/app/\\.github/workflows/promote\\.yml@refs/heads/main, the policy expects https://github\\.com/octo/app/\\.github/workflows/build-release\\.yml@refs/heads/main\\. Set the input 'build-signer'`,
      ),
    );
    await expectDeployed(
      deployWorkflow({ tag: staging, with: `          environment: staging\n${EXAMPLE_POLICY}` }),
      staging,
    );
  }, 300_000);

  it('promotes with from-release without signing a build, and the promoted release deploys under the same policy', async () => {
    const promoted = await run(
      'promote.yml',
      `name: promote
on: push
permissions: {}
jobs:
  promote:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
      attestations: write
    outputs:
      tag: \${{ steps.release.outputs.tag }}
    steps:
      - id: release
        uses: OWNER/build-release-run/actions/release@v1
        with:
          from-release: ${staging}
${EXAMPLE_POLICY}
          environment: production
          config: GREETING=prod
`,
    );
    expect(promoted.conclusion).toBe('success');
    const tag = promoted.jobs['promote']!.outputs['tag']!;
    const release = await api.getReleaseByTag(tag);
    const asset = release!.assets.find((a) => a.name === 'release.json')!;
    const manifestFile = path.join(dir, 'promoted-release.json');
    await api.downloadReleaseAsset(asset.id, manifestFile);
    const build = parseManifest(await readFile(manifestFile, 'utf8')).build.digest;
    // The build's only provenance is the one build-release.yml's build job made.
    const bundles = await storedBundles(github.server.url, TEST_TOKEN, 'octo/app', build);
    const provenance = bundles.map((bundle) => {
      const envelope = (bundle as { dsseEnvelope: { payload: string } }).dsseEnvelope;
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
        predicateType: string;
        predicate: { runDetails?: { builder?: { id?: string } } };
      };
      return [statement.predicateType, statement.predicate.runDetails?.builder?.id];
    });
    expect(provenance).toEqual([
      [
        SLSA_PROVENANCE_PREDICATE_TYPE,
        'https://github.com/octo/app/.github/workflows/build-release.yml@refs/heads/main',
      ],
    ]);
    await expectDeployed(deployWorkflow({ tag, with: `          environment: production\n${EXAMPLE_POLICY}` }), tag);
  }, 300_000);
});

/** A release of its own build published by hand and attested as the workflows would, but for `build`. */
async function craftedRelease(tag: string, build: SignerSpec): Promise<void> {
  const commit = github.repo.commits.at(-1)!;
  const published = await publishTestRelease(
    api,
    { tag, environment: 'staging', files: { 'index.html': `${tag}\n` }, commit },
    dir,
  );
  await attestPublished(api.client, sigstore, published, { build });
}

describe('point 4: the signing workflow and its ref', () => {
  it('does not deploy a build signed by build-release.yml of another branch, called from a run of main', async () => {
    await craftedRelease('v904', { jobWorkflow: 'octo/app/.github/workflows/build-release.yml@refs/heads/evil' });
    await expectRefused(
      deployWorkflow({ tag: 'v904', with: `          environment: staging\n${EXAMPLE_POLICY}` }),
      /^The attestation of the build of v904 .* is refused: the signer workflow \(certificate SAN\) is https:\/\/github\.com\/octo\/app\/\.github\/workflows\/build-release\.yml@refs\/heads\/evil, the policy expects https:\/\/github\.com\/octo\/app\/\.github\/workflows\/build-release\.yml@refs\/heads\/main\./,
    );
    // Not even with the signer left unnamed: any workflow file, but on the source ref.
    await expectRefused(
      deployWorkflow({ tag: 'v904', with: '          environment: staging' }),
      /is refused: the signer workflow \(certificate SAN\) is .*build-release\.yml@refs\/heads\/evil, the policy expects https:\/\/github\.com\/octo\/app\/\.github\/workflows\/<any file>@refs\/heads\/main\./,
    );
  }, 300_000);
});

describe('point 5: transparency', () => {
  it('does not deploy a build whose bundle has a timestamp but no Rekor entry, the root having logs', async () => {
    await craftedRelease('v905', { noLogEntry: true });
    await expectRefused(
      deployWorkflow({ tag: 'v905', with: `          environment: staging\n${EXAMPLE_POLICY}` }),
      /^The attestation of the build of v905 .* is refused: the bundle has no transparency-log \(Rekor\) entry, but its trusted root has transparency logs/,
    );
  }, 300_000);
});

describe('point 7: the environment a job deploys to', () => {
  it('never deploys a staging release from a production job with the input misspelt', async () => {
    await expectRefused(
      deployWorkflow({ tag: staging, jobEnvironment: 'production', with: '          enviroment: production' }),
      /^Input 'environment' is required: name the environment to deploy to/,
    );
  }, 300_000);

  it("refuses input 'environment: staging' in a job running under production, and deploys where they agree", async () => {
    await expectRefused(
      deployWorkflow({
        tag: staging,
        jobEnvironment: 'production',
        idToken: true,
        with: '          environment: staging',
      }),
      /^Input 'environment' is 'staging', but this job runs under environment "production" \(its OIDC token's 'environment' claim\)/,
    );
    await expectRefused(
      deployWorkflow({ tag: staging, idToken: true, with: '          environment: staging' }),
      /^Input 'environment' is 'staging', but this job runs under no environment/,
    );
    await expectDeployed(
      deployWorkflow({
        tag: staging,
        jobEnvironment: 'staging',
        idToken: true,
        with: '          environment: staging',
      }),
      staging,
    );
  }, 300_000);
});
