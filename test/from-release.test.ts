/**
 * Release input `from-release`: a release's build, verified as deploy
 * verifies it, released again with another environment's config. The
 * source's bytes, commit and attached files carry over; a source that fails
 * any check is refused before anything is created, naming what failed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gatewayFor, startHarness } from '@build-release-run/action-deploy/test-harness';
import { type ReleaseManifest, parseManifest } from '@build-release-run/release-format';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import {
  RELEASE_BUNDLE,
  downloadRelease,
  releaseEnv,
  repositoryState,
  runReleaseInProcess,
  runReleaseProcess,
  type writeTestArchive,
  writePackedArchive,
} from '@build-release-run/test-helpers/release-action';

const SBOM = '{"spdxVersion":"SPDX-2.3"}\n';
const files = { 'app.txt': 'promoted\n' };

let h: DeployHarness;
let archive: Awaited<ReturnType<typeof writeTestArchive>>;
let trustedRoot: string;
let runId = 9100;

beforeAll(async () => {
  h = await startHarness();
  archive = await writePackedArchive(h.work, { 'app.txt': 'built once\n' });
  await writeFile(path.join(h.work, 'app.spdx.json'), SBOM);
  trustedRoot = await h.sigstore.writeTrustedRoot(h.work);
});
afterAll(async () => {
  await h.close();
});

/**
 * The release action with what verifying a release needs (event payload,
 * trusted root): in this process, or as the runner runs it (the bundle, a
 * process of its own).
 */
async function release(inputs: Record<string, string>, commit = h.commits.at(-1) as string, bundled = false) {
  const env = {
    ...(await releaseEnv({ server: h.gh.server, workDir: h.work, commit, runId: String(++runId), inputs })),
    GITHUB_EVENT_PATH: path.join(h.work, 'event.json'),
    BRR_SIGSTORE_TRUSTED_ROOT: trustedRoot,
  };
  return bundled ? runReleaseProcess(env, RELEASE_BUNDLE) : runReleaseInProcess(env);
}

async function manifestOf(tag: string): Promise<ReleaseManifest> {
  const dir = path.join(h.work, `assets-${tag}`);
  await mkdir(dir, { recursive: true });
  await downloadRelease(h.gh.server, tag, dir);
  return parseManifest(await readFile(path.join(dir, 'release.json'), 'utf8'));
}

describe('from-release', () => {
  it("releases the source's build, commit and attached files with this environment's config, and it deploys", async () => {
    const source = await release({
      digest: archive.digest,
      archive: archive.file,
      environment: 'staging',
      config: 'GREETING=staging',
      attach: 'app.spdx.json',
    });
    expect(source.failure).toBeUndefined();
    const from = source.outputs['tag'] as string;
    await h.attestPublished(from);

    // Run at another commit: the tag still goes where the build was made.
    const promoted = await release(
      { 'from-release': from, environment: 'production', config: 'GREETING=production' },
      h.commits[0],
      true,
    );
    expect(promoted.failure).toBeUndefined();
    const tag = promoted.outputs['tag'] as string;
    expect(promoted.log).toContain(`Provenance verified: release.json of ${from} signed by`);
    const [before, after] = [await manifestOf(from), await manifestOf(tag)];
    expect(after.environment).toBe('production');
    expect(after.build).toEqual(before.build);
    expect(after.attachments).toEqual(before.attachments);
    expect(after.attachments?.map((a) => a.name)).toEqual(['app.spdx.json']);
    expect(after.config.digest).not.toBe(before.config.digest);
    expect(await readFile(path.join(h.work, `assets-${tag}`, 'config.env'), 'utf8')).toContain('GREETING=production');
    const body = (await repositoryState(h.gh.server)).releases.find((r) => r.tag === tag)?.body ?? '';
    expect(body).toContain(`Promoted from \`${from}\` (staging)`);

    // An attached file of the same name as one the source carries: refused, naming both inputs.
    const clash = await release({ 'from-release': from, environment: 'qa', attach: 'app.spdx.json' });
    expect(clash.failure).toMatch(
      new RegExp(
        `^Input 'attach' selects a file named app\\.spdx\\.json, but ${from} \\(input 'from-release'\\) already carries`,
      ),
    );

    await h.attestPublished(tag);
    const deployed = await h.deploy({
      tag,
      'config-env': 'GREETING',
      run: 'cp "$RELEASE_ASSETS_DIR/app.spdx.json" "$MARKER_DIR/sbom"; echo "$GREETING" > "$MARKER_DIR/greeting"',
    });
    expect(deployed.error).toBeUndefined();
    expect(deployed.outputs['digest']).toBe(archive.digest);
    expect(await readFile(path.join(h.markers, 'sbom'), 'utf8')).toBe(SBOM);
    expect(await readFile(path.join(h.markers, 'greeting'), 'utf8')).toBe('production\n');
  });

  // Through the bundle the runner runs (dist/release; `pnpm bundle` first).
  it.each<[string, (tag: string) => Promise<void>, RegExp]>([
    [
      'a swapped archive',
      async (tag) => {
        await h.publish({ tag, environment: 'staging', files });
        const asset = (await gatewayFor(h.gh.server.url).getReleaseByTag(tag))!.assets.find((a) =>
          a.name.endsWith('.tar.gz'),
        )!;
        await h.gh.server.corruptAsset(asset.id);
      },
      /^app-[0-9a-f]{12}\.tar\.gz: its bytes hash to sha256:[0-9a-f]{64}, but release\.json says sha256:[0-9a-f]{64}\. The asset changed after it was released; refusing to use it\./,
    ],
    [
      'a release that is not immutable',
      async (tag) => {
        h.gh.server.setImmutableReleases('octo/app', false);
        try {
          await h.publish({ tag, environment: 'staging', files });
        } finally {
          h.gh.server.setImmutableReleases('octo/app', true);
        }
      },
      /^Release v8\d is not immutable: /,
    ],
    [
      'an unsigned release',
      async (tag) => {
        await h.publish({ tag, environment: 'staging', files, attest: false });
      },
      /^No attestation of release\.json of v8\d .*nothing proves a workflow of this repository made it/,
    ],
  ])('refuses %s before anything is created, naming what failed', async (_name, make, message) => {
    const tag = `v8${++runId % 10}`;
    await make(tag);
    const before = h.gh.server.requests.length;
    const state = await repositoryState(h.gh.server);
    const result = await release({ 'from-release': tag, environment: 'production' }, undefined, true);
    expect(result.failure).toMatch(message);
    expect(result.outputs).toEqual({});
    const writes = h.gh.server.requests.slice(before).filter((r) => r.method !== 'GET' && r.status < 400);
    expect(writes).toEqual([]);
    expect(await repositoryState(h.gh.server)).toEqual(state);
  });
});
