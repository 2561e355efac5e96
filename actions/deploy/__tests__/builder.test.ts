/**
 * SLSA Build L3 at deploy time (issue 23): a release whose release.json says
 * the reusable build workflow made its build (build.builder) is accepted only
 * when the build's attestation was signed by that builder, one deploy trusts
 * ('trusted-builder', by default build.yml of deploy's own repository at
 * deploy's version, from GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF),
 * called by a workflow 'build-signer' allows. A release that claims the
 * builder but was signed by the caller's own job or by the release job is
 * refused before any deployment, naming the claim.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActionRun } from '@build-release-run/test-helpers/action-env';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { startHarness } from './helpers.ts';

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const BUILDER = 'OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v1';
/** Deploy as `uses: OWNER/build-release-run/actions/deploy@v1` runs it. */
const AT_V1 = { GITHUB_ACTION_REPOSITORY: 'OWNER/build-release-run', GITHUB_ACTION_REF: 'v1' };

let next = 500;
const newTag = () => `v${++next}`;
const deploymentsCreated = () => h.gh.server.requests.filter((r) => r.operationId === 'repos/create-deployment').length;

/** A release that claims `claimed` as its builder, its build signed as `build` says. */
async function publishBuilt(
  claimed: string | undefined,
  build: { jobWorkflow?: string; workflowFile?: string },
): Promise<string> {
  const tag = newTag();
  await h.publish({
    tag,
    files: { 'app.txt': `app ${tag}\n` },
    ...(claimed === undefined
      ? {}
      : { manifestPatch: (m) => ((m['build'] as Record<string, unknown>)['builder'] = claimed) }),
    attest: { build },
  });
  return tag;
}

async function expectRefused(
  inputs: Record<string, string>,
  message: RegExp,
  env: Record<string, string> = AT_V1,
): Promise<void> {
  const before = deploymentsCreated();
  const result = await h.deploy(inputs, env);
  expect(result.error).toMatch(message);
  expect(deploymentsCreated()).toBe(before);
  expect(await h.ran()).toEqual([]);
}

async function expectDeployed(inputs: Record<string, string>, env: Record<string, string> = AT_V1): Promise<ActionRun> {
  const result = await h.deploy(inputs, env);
  expect(result.error).toBeUndefined();
  expect(result.outputs['tag']).toBe(inputs['tag']);
  await h.resetMarkers();
  return result;
}

describe('a release built by the reusable build workflow', () => {
  it('deploys when the builder of deploy’s own version signed the build, and says L3', async () => {
    const tag = await publishBuilt(BUILDER, { jobWorkflow: BUILDER });
    const result = await expectDeployed({ tag, 'build-signer': 'build-release.yml' });
    expect(result.stdout).toContain(
      `SLSA Build L3: built and signed by the reusable workflow ${BUILDER}, called by https://github.com/octo/app/.github/workflows/build-release.yml@refs/heads/main`,
    );
    expect(result.summary).toContain('verified, SLSA Build L3 (built and signed by the reusable build workflow)');
    // A release of the same major: deploy@v1.4.2 trusts build.yml@v1 as well.
    await expectDeployed({ tag }, { ...AT_V1, GITHUB_ACTION_REF: 'v1.4.2' });
  });

  it.each([
    [
      "the caller's own workflow (the build job held the token)",
      { workflowFile: '.github/workflows/build-release.yml' },
    ],
    ['the release job', { workflowFile: '.github/workflows/release.yml' }],
  ])('is refused when signed by %s, naming the claim', async (_name, signer) => {
    const tag = await publishBuilt(BUILDER, signer);
    await expectRefused(
      { tag },
      new RegExp(
        `The attestation of the build of ${tag} .* is refused: the builder release\\.json claims \\(build\\.builder; the build must be signed by that reusable workflow\\) is https://github\\.com/octo/app/${signer.workflowFile.replace(/\./g, '\\.')}@refs/heads/main, the policy expects https://github\\.com/${BUILDER.replace(/\./g, '\\.')}\\.`,
      ),
    );
  });

  it('is refused when the builder it claims and signed with is not the one deploy trusts', async () => {
    const mallory = 'mallory/build-release-run/.github/workflows/build.yml@refs/tags/v1';
    const tag = await publishBuilt(mallory, { jobWorkflow: mallory });
    await expectRefused(
      { tag },
      /the signer workflow \(certificate SAN\) is https:\/\/github\.com\/mallory\/build-release-run\/\.github\/workflows\/build\.yml@refs\/tags\/v1, the policy expects https:\/\/github\.com\/OWNER\/build-release-run\/\.github\/workflows\/build\.yml@refs\/tags\/v1 \(or v1\.x, v1\.x\.y\)\. Set the input 'trusted-builder'/,
    );
    // Another major of the right builder is another builder too.
    const v2 = 'OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v2';
    await expectRefused({ tag: await publishBuilt(v2, { jobWorkflow: v2 }) }, /Set the input 'trusted-builder'/);
    // Naming it trusts it.
    await expectDeployed({ tag, 'trusted-builder': mallory });
  });

  it("is refused when a workflow 'build-signer' does not allow called the builder", async () => {
    const tag = await publishBuilt(BUILDER, { jobWorkflow: BUILDER, workflowFile: '.github/workflows/promote.yml' });
    await expectRefused(
      { tag, 'build-signer': 'build-release.yml' },
      /the workflow that called the builder \(certificate Build Config URI\) is https:\/\/github\.com\/octo\/app\/\.github\/workflows\/promote\.yml@refs\/heads\/main, the policy expects https:\/\/github\.com\/octo\/app\/\.github\/workflows\/build-release\.yml@refs\/heads\/main\. Set the input 'build-signer'/,
    );
  });

  it('needs a trusted builder named when deploy was not used at a version tag or commit', async () => {
    const tag = await publishBuilt(BUILDER, { jobWorkflow: BUILDER });
    await expectRefused(
      { tag },
      new RegExp(
        `release\\.json of ${tag} says its build was made by the reusable workflow ${BUILDER.replace(/\./g, '\\.')}, and no builder is trusted: .*Set input 'trusted-builder'`,
      ),
      { GITHUB_ACTION_REPOSITORY: 'OWNER/build-release-run', GITHUB_ACTION_REF: 'main' },
    );
    await expectDeployed({ tag, 'trusted-builder': BUILDER }, {});
  });
});

describe('a release of the plain build action', () => {
  it('deploys at L2 as before, and the summary says so', async () => {
    const tag = await publishBuilt(undefined, {});
    const result = await expectDeployed({ tag });
    expect(result.summary).toContain('verified, SLSA Build L2 (signed by the job that built it)');
  });

  it('is refused when the builder signed it but release.json does not say so', async () => {
    const tag = await publishBuilt(undefined, { jobWorkflow: BUILDER });
    await expectRefused(
      { tag },
      /the signer workflow \(certificate SAN\) is https:\/\/github\.com\/OWNER\/build-release-run/,
    );
  });
});
