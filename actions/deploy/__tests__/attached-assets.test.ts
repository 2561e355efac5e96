/**
 * Input `attach` of the release action, end to end: an SBOM released beside
 * the build is listed in release.json and SHA256SUMS, verified by deploy
 * like every other asset, and handed to the command in RELEASE_ASSETS_DIR.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import {
  downloadRelease,
  releaseEnv,
  runReleaseInProcess,
  type writeTestArchive,
  writePackedArchive,
} from '@build-release-run/test-helpers/release-action';
import { gatewayFor, startHarness } from './helpers.ts';

const SBOM = '{"spdxVersion":"SPDX-2.3","name":"app"}\n';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let h: DeployHarness;
let archive: Awaited<ReturnType<typeof writeTestArchive>>;
let runId = 8100;

beforeAll(async () => {
  h = await startHarness();
  archive = await writePackedArchive(h.work, { 'app.txt': 'built once\n' });
  await mkdir(path.join(h.work, 'sbom'));
  await writeFile(path.join(h.work, 'sbom', 'app.spdx.json'), SBOM);
});
afterAll(async () => {
  await h.close();
});

async function releaseWithSbom(): Promise<string> {
  const env = await releaseEnv({
    server: h.gh.server,
    workDir: h.work,
    commit: h.commits.at(-1) as string,
    runId: String(++runId),
    inputs: { digest: archive.digest, archive: archive.file, environment: 'staging', attach: 'sbom/*.spdx.json' },
  });
  const result = await runReleaseInProcess(env);
  expect(result.failure).toBeUndefined();
  const tag = result.outputs['tag'] as string;
  await h.attestPublished(tag);
  return tag;
}

const COPY_ASSETS =
  'cp "$RELEASE_ASSETS_DIR/app.spdx.json" "$MARKER_DIR/sbom-$RELEASE_TAG"\ntouch "$MARKER_DIR/ran-$RELEASE_TAG"';

describe('a file attached to a release', () => {
  it('is listed and summed, verified at deploy and given to the command in RELEASE_ASSETS_DIR', async () => {
    const tag = await releaseWithSbom();
    const files = path.join(h.work, `downloaded-${tag}`);
    await mkdir(files);
    const names = await downloadRelease(h.gh.server, tag, files);
    expect(names).toContain('app.spdx.json');
    const manifest = JSON.parse(await readFile(path.join(files, 'release.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['attachments']).toEqual([
      { name: 'app.spdx.json', digest: `sha256:${sha256(SBOM)}`, size: Buffer.byteLength(SBOM) },
    ]);
    expect(await readFile(path.join(files, 'SHA256SUMS'), 'utf8')).toContain(`${sha256(SBOM)}  app.spdx.json\n`);

    const deployed = await h.deploy({ tag, environment: 'staging', run: COPY_ASSETS });
    expect(deployed.error).toBeUndefined();
    expect(await readFile(path.join(h.markers, `sbom-${tag}`), 'utf8')).toBe(SBOM);
  });

  it('refuses the deploy when the attached file was swapped, naming it; the command never runs', async () => {
    await h.resetMarkers();
    const tag = await releaseWithSbom();
    const release = await gatewayFor(h.gh.server.url).getReleaseByTag(tag);
    const asset = release?.assets.find((a) => a.name === 'app.spdx.json');
    expect(asset).toBeDefined();
    await h.gh.server.corruptAsset(asset!.id);

    const result = await h.deploy({ tag, environment: 'staging', run: COPY_ASSETS });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(
      new RegExp(
        `^app\\.spdx\\.json: its bytes hash to sha256:[0-9a-f]{64}, but release\\.json says sha256:${sha256(SBOM)}\\.`,
      ),
    );
    expect(await h.ran()).toEqual([]);
  });
});
