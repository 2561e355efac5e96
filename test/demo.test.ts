// `pnpm demo` end to end: the example workflows run through the local
// runner against the local GitHub server, and leave the releases and
// deployments the pipeline promises.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { type DemoResult, ledger, runDemo } from '../scripts/demo.ts';
import { IMAGE_TOOLS, imagePrerequisites } from '../scripts/demo-image.ts';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

let dir: string;
let result: DemoResult;
// The demo takes about 15 s alone; next to other suites on 2 cores it has
// taken over a minute, so its set-up gets more room than a single test.
beforeAll(async () => {
  dir = await tempDir('brr-demo-test-');
  result = await runDemo({ dir, say: () => {}, validateResponses: true });
}, 240_000);
afterAll(async () => {
  await removeDir(dir);
});

describe('the demo pipeline', () => {
  it('releases a config-only change and a promotion as new releases of the same build', () => {
    expect(result.releases.map((r) => [r.tag, r.environment])).toEqual([
      ['v1', 'staging'],
      ['v2', 'staging'],
      ['v3', 'production'],
    ]);
    expect(result.releases[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.releases.map((r) => r.digest)).toEqual(Array(3).fill(result.releases[0]!.digest));
    expect(result.releases[1]!.commit).not.toBe(result.releases[0]!.commit);
  });

  it("promotes v1 with the release action's from-release: v3's notes name the same build and where it came from", async () => {
    const notes = await readFile(path.join(result.dir, 'notes', 'v3.md'), 'utf8');
    expect(notes).toContain('Promoted from `v1` (staging): the same build, not rebuilt.');
    expect(notes).toContain(result.releases[0]!.digest);
    expect(result.answers.at(-1)).toMatchObject({ tag: 'v3', environment: 'production' });
  });

  it('records a deployment for each deploy, the older ones made inactive, the rollback live', () => {
    expect(result.deployments.map((d) => [d.environment, d.tag, d.states.at(-1)])).toEqual([
      ['staging', 'v1', 'inactive'],
      ['staging', 'v2', 'inactive'],
      ['staging', 'v1', 'success'],
      ['production', 'v3', 'success'],
    ]);
  });

  it('serves the greeting of each deployed release, and the old one again after the rollback', () => {
    expect(result.answers).toEqual([
      { tag: 'v1', environment: 'staging', greeting: 'Hello from staging' },
      { tag: 'v2', environment: 'staging', greeting: 'Hello again from staging' },
      { tag: 'v1', environment: 'staging', greeting: 'Hello from staging' },
      { tag: 'v3', environment: 'production', greeting: 'Hello from production' },
    ]);
  });

  it('leaves releases/<tag> folders and a current link on the rolled-back release', async () => {
    expect(await readlink(path.join(result.target, 'staging', 'current'))).toBe('releases/v1');
    expect(await readlink(path.join(result.target, 'production', 'current'))).toBe('releases/v3');
  });

  it('refuses a release forged with a contents: write token, naming the missing attestation, and records no deployment', () => {
    expect(result.forged.deployed).toBe(false);
    expect(result.forged.refusal).toMatch(
      /^No attestation of release\.json of v99 \(sha256:[0-9a-f]{64}\) in octo\/app: nothing proves a workflow of this repository made it\./,
    );
    // The deployments listed above were all made before it: none is for the forged tag.
    expect(result.deployments.map((d) => d.tag)).not.toContain('v99');
  });

  it('verifies the signed provenance of every deploy, and says so in its summary', async () => {
    const deploySummaries = result.files.summaries.filter((file) => /-deploy-deploy\.md$/.test(file));
    expect(deploySummaries.length).toBeGreaterThanOrEqual(4);
    for (const file of deploySummaries.slice(0, 4)) {
      expect(await readFile(file, 'utf8')).toMatch(
        /\| Provenance \| verified, SLSA Build L3 \(built and signed by the reusable build workflow\): release\.json signed by `https:\/\/github\.com\/octo\/app\/\.github\/workflows\/(build-release|promote)\.yml@refs\/heads\/main`, build by `https:\/\/github\.com\/OWNER\/build-release-run\/\.github\/workflows\/build\.yml@refs\/tags\/v1`/,
      );
    }
  });

  it('runs a build command that tries to mint the OIDC token in the builder, and it finds no endpoint', () => {
    expect(result.builderProbe).toBe('ACTIONS_ID_TOKEN_REQUEST_URL is not set, no token to mint');
  });

  it("keeps the local server within GitHub's OpenAPI description", () => {
    expect(result.violations).toEqual([]);
  });

  it('prints a ledger naming releases, deployments and where the files are', () => {
    const text = ledger(result);
    expect(text).toContain(`v2   staging    ${result.releases[1]!.digest}`);
    expect(text).toContain('in_progress → success → inactive');
    expect(text).toContain(path.join(result.target, '<environment>'));
  });

  it('prints where the release notes, the job summaries and the ledger page are, and they exist', async () => {
    const text = ledger(result);
    const { notes, summaries, ledgerPage } = result.files;
    expect(notes.map((file) => path.basename(file))).toEqual(['v1.md', 'v2.md', 'v3.md']);
    // build and release for two pushes, four deploys, one promotion
    expect(summaries.length).toBeGreaterThanOrEqual(7);
    expect(summaries.some((file) => /-deploy-deploy\.md$/.test(file))).toBe(true);
    for (const file of [...notes, ...summaries, ledgerPage]) {
      expect(text).toContain(`    ${file}\n`);
      expect((await stat(file)).size).toBeGreaterThan(0);
    }
    expect(await readFile(notes[0]!, 'utf8')).toContain(result.releases[0]!.digest);
    const page = await readFile(ledgerPage, 'utf8');
    for (const { tag } of result.releases) expect(page).toContain(`>${tag}<`);
    expect(text).toContain(`${result.apiUrl}/repos/octo/app/releases/tags/v1`);
  });
});

// The image part needs docker-registry, skopeo, umoci and kubectl, as the
// image tests do (scripts/install-system-packages.sh installs them).
describe('the demo image release', () => {
  it('builds a pushed image, releases and deploys it by the digest the registry serves', () => {
    const { image } = result;
    if (!image.ran) throw new Error(`the image part was skipped: ${image.hint}`);
    expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image.digest).toBe(image.registryDigest);
    expect(image.tag).toBe('v1');
    expect(image.releaseImage).toBe(`${image.pushed.replace(/:demo$/, '')}@${image.digest}`);
  });

  it('prints the digest, RELEASE_IMAGE and where the rendered Deployment and the notes are, and they hold the digest', async () => {
    const { image } = result;
    if (!image.ran) throw new Error(`the image part was skipped: ${image.hint}`);
    const text = ledger(result);
    expect(text).toContain(`    build digest   ${image.digest}\n`);
    expect(text).toContain(`    RELEASE_IMAGE  ${image.releaseImage}\n`);
    for (const file of [...image.rendered, image.notes]) expect(text).toContain(`      ${file}\n`);
    expect(await readFile(image.rendered[0]!, 'utf8')).toContain(`image: ${image.releaseImage}`);
    expect(await readFile(image.rendered[1]!, 'utf8')).toContain('GREETING: Hello from staging');
    expect(await readFile(image.notes, 'utf8')).toContain(image.digest);
    expect(result.files.summaries.filter((file) => /-image-(build|release|deploy)\.md$/.test(file))).toHaveLength(3);
  });

  it('says how to install the registry and the image tools when they are missing', async () => {
    const { missing, hint } = await imagePrerequisites(path.join(dir, 'no-such-folder'));
    expect(missing).toEqual([...IMAGE_TOOLS]);
    expect(hint).toMatch(/needs docker-registry, skopeo, umoci, kubectl .*bash scripts\/install-system-packages\.sh$/);
  });
});
