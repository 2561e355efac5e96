// Every action.yml of the repository, run through the local workflow runner
// as a workflow step with every input given: each declared input is read by
// the action's code (INPUT_* reads traced by test/helpers/input-probe.ts)
// and each declared output comes out non-empty. Renaming an input or output
// in one place only (action.yml, its env mapping, or the code) fails here.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { glob } from 'node:fs/promises';
import path from 'node:path';
import { type ArtifactService, startArtifactService } from '@build-release-run/workflow-runner';
import { type ActionWiring, checkActionWiring, repoRoot } from '@build-release-run/test-helpers/action-wiring';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { makeOciLayout, type OciLayout } from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry, type TestRegistry } from '@build-release-run/test-helpers/registry/registry-server';
import { type TestSigstore, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const BUILD = `      - id: build
        uses: ./actions/build
        with:
          path: site
          run: mkdir -p site && echo "wiring" > site/index.html
`;
const RELEASE = `      - id: release
        uses: ./actions/release
        with:
          digest: \${{ steps.build.outputs.digest }}
          environment: staging
          config: GREETING=hi
`;

let github: TestGitHub;
let artifacts: ArtifactService;
let sigstore: TestSigstore;
let dir: string;
let registry: TestRegistry;
let layout: OciLayout;
/** Jobs that sign: the attestation outputs need an OIDC token and a Sigstore. */
const ATTESTING = { 'id-token': 'write', attestations: 'write', contents: 'write', deployments: 'write' };
/** Runs by action folder; an action with two forms has a second run, `<folder> (<form>)`. */
const wiring: Record<string, ActionWiring> = {};
/** Outputs that one form of an action leaves empty, by design (documented in its action.yml). */
const EMPTY_BY_FORM: Record<string, string[]> = {
  'actions/build': ['image', 'platforms'],
  'actions/build (image)': ['archive', 'files'],
};

beforeAll(async () => {
  // Immutable releases on: deploy refuses mutable ones by default.
  github = await startTestGitHub({ immutableReleases: true });
  sigstore = await startTestSigstore();
  dir = await tempDir('brr-wiring-');
  // One artifact service (and one azurite) for the four runs.
  artifacts = await startArtifactService(path.join(dir, 'artifacts'));
  const common = {
    artifacts,
    repository: 'octo/app',
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    sha: github.repo.commits.at(-1)!,
  };
  wiring['actions/build'] = await checkActionWiring({
    ...common,
    action: 'actions/build',
    dir: path.join(dir, 'build'),
    runId: '1',
    ...sigstore.runnerOptions,
    permissions: ATTESTING,
    with: {
      path: 'site',
      name: 'wired',
      format: 'tar.gz',
      'working-directory': 'examples',
      run: 'mkdir -p site && echo "wiring" > site/index.html',
      'retention-days': '2',
      attest: 'true',
      token: TEST_TOKEN,
    },
  });
  [registry, layout] = await Promise.all([startRegistry(), makeOciLayout()]);
  await layout.addImage('app', 'wiring');
  await layout.push('app', `${registry.host}/octo/app:sha-wiring`);
  wiring['actions/build (image)'] = await checkActionWiring({
    ...common,
    action: 'actions/build',
    dir: path.join(dir, 'build-image'),
    runId: '5',
    ...sigstore.runnerOptions,
    permissions: ATTESTING,
    with: {
      path: '',
      image: `${registry.host}/octo/app:sha-wiring`,
      'registry-username': 'octocat',
      'registry-password': 'registry-secret-for-wiring',
      name: 'wired',
      format: 'tar.gz',
      'working-directory': 'examples',
      run: 'true',
      'retention-days': '2',
      attest: 'true',
      token: TEST_TOKEN,
    },
  });
  wiring['actions/release'] = await checkActionWiring({
    ...common,
    action: 'actions/release',
    dir: path.join(dir, 'release'),
    runId: '2',
    ...sigstore.runnerOptions,
    permissions: ATTESTING,
    // A first release of the environment, so that previous-tag has a value.
    setupSteps: `${BUILD}${RELEASE.replace('staging', 'wiring')}`,
    with: {
      digest: '${{ steps.build.outputs.digest }}',
      archive: '${{ steps.build.outputs.archive }}',
      version: 'minor',
      environment: 'wiring',
      config: 'LEVEL=3\nAPI_KEY=from-secret',
      'config-file': 'examples/app/config/staging.env',
      'secret-keys': 'API_KEY',
      commit: github.repo.commits.at(-1)!,
      token: TEST_TOKEN,
      attest: 'true',
    },
  });
  wiring['actions/deploy'] = await checkActionWiring({
    ...common,
    action: 'actions/deploy',
    dir: path.join(dir, 'deploy'),
    runId: '3',
    // The setup steps release with the job's own token.
    permissions: { contents: 'write', deployments: 'write' },
    // Two releases deployed once each before, so that previous-tag has a value.
    setupSteps: `${BUILD}${RELEASE}      - uses: ./actions/deploy
        with:
          tag: \${{ steps.release.outputs.tag }}
          run: 'true'
          verify-provenance: false
${RELEASE.replace('id: release', 'id: release2').replace('GREETING=hi', 'GREETING=hi again')}`,
    with: {
      tag: 'latest',
      environment: 'staging',
      run: 'echo "deploying $RELEASE_TAG"',
      directory: 'deployed',
      'environment-url': 'http://127.0.0.1:1/app',
      token: TEST_TOKEN,
      digest: '${{ steps.build.outputs.digest }}',
      'allow-mutable-release': 'false',
      // This job's workflow is not under .github/workflows, so nothing it signs passes the policy
      // (actions/deploy/__tests__/provenance.test.ts and the demo verify); here each input is read.
      'verify-provenance': 'false',
      'signer-workflow': 'wiring.yml',
      'source-ref': 'main',
    },
  });
  wiring['.'] = await checkActionWiring({
    ...common,
    action: '.',
    dir: path.join(dir, 'root'),
    runId: '4',
    with: {
      path: 'site',
      run: 'mkdir -p site && echo "one step" > site/index.html',
      'working-directory': 'examples',
      name: 'onestep',
      format: 'tar.gz',
      environment: 'one-step',
      config: 'LEVEL=1',
      'config-file': 'examples/app/config/staging.env',
      'secret-keys': 'API_KEY',
      version: '1.0.0',
      token: TEST_TOKEN,
    },
  });
}, 300_000);

afterAll(async () => {
  await Promise.all([registry?.stop(), layout?.remove()]);
  await artifacts.stop();
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('action wiring through the runner', () => {
  it('covers every action.yml of the repository', async () => {
    const actions: string[] = [];
    for await (const file of glob(['action.yml', 'actions/*/action.yml'], { cwd: repoRoot })) {
      actions.push(path.dirname(file));
    }
    expect([...new Set(Object.keys(wiring).map((run) => run.split(' ')[0]))].sort()).toEqual(actions.sort());
  });

  describe.each(['actions/build', 'actions/build (image)', 'actions/release', 'actions/deploy', '.'])(
    '%s',
    (action) => {
      it('succeeds without errors or "Unexpected input" warnings', () => {
        const job = wiring[action]!.job;
        expect([job.result, job.annotations.filter((a) => a.level !== 'notice')]).toEqual(['success', []]);
      });

      it('gives every declared input to the code', () => {
        expect(wiring[action]!.declaredInputs.length).toBeGreaterThan(0);
        expect(wiring[action]!.unreadInputs).toEqual([]);
      });

      it('produces every declared output', () => {
        expect(wiring[action]!.declaredOutputs.length).toBeGreaterThan(0);
        expect(wiring[action]!.emptyOutputs).toEqual(EMPTY_BY_FORM[action] ?? []);
      });
    },
  );

  it("keeps the local server within GitHub's OpenAPI description", () => {
    expect(github.server.responseViolations).toEqual([]);
  });
});
