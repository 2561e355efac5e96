/**
 * The release action's real output deployed by the deploy action: the two
 * sides of the agreed format meet here, not only in each one's own helpers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import {
  releaseEnv,
  runReleaseInProcess,
  type writeTestArchive,
  writePackedArchive,
} from '@build-release-run/test-helpers/release-action';
import { startHarness } from './helpers.ts';

let h: DeployHarness;
let archive: Awaited<ReturnType<typeof writeTestArchive>>;
let runId = 7000;

beforeAll(async () => {
  h = await startHarness();
  archive = await writePackedArchive(h.work, {
    'app.txt': 'built once\n',
    'bin/serve': { content: '#!/bin/sh\n', mode: 0o755 },
  });
});
afterAll(async () => {
  await h.close();
});

async function release(environment: string, config: string) {
  const env = await releaseEnv({
    server: h.gh.server,
    workDir: h.work,
    commit: h.commits.at(-1) as string,
    runId: String(++runId),
    inputs: {
      digest: archive.digest,
      archive: archive.file,
      version: 'increment',
      environment,
      config,
      'secret-keys': 'DB_PASSWORD',
    },
  });
  const result = await runReleaseInProcess(env);
  expect(result.failure).toBeUndefined();
  const tag = result.outputs['tag'] as string;
  // What the build and release jobs would sign with their OIDC identity (not available in-process).
  await h.attestPublished(tag);
  return tag;
}

describe('release action → deploy action', () => {
  it('deploys what the release action published, a config-only release, a rollback and a promotion', async () => {
    const v1 = await release('production', 'GREETING=first\n');
    const first = await h.deploy({ tag: v1 });
    expect(first.error).toBeUndefined();
    expect(first.outputs['digest']).toBe(archive.digest);
    expect(await readFile(path.join(h.markers, `app-${v1}`), 'utf8')).toBe('built once\n');
    expect(await readFile(path.join(h.markers, `config-${v1}`), 'utf8')).toBe('# secret DB_PASSWORD\nGREETING=first\n');

    // Same build, new config: a new release, deployed, then rolled back.
    const v2 = await release('production', 'GREETING="second\\nline"\n');
    expect(v2).not.toBe(v1);
    const second = await h.deploy({ tag: v2 });
    expect(second.outputs).toMatchObject({ tag: v2, digest: archive.digest, 'previous-tag': v1 });
    expect(await readFile(path.join(h.markers, `config-${v2}`), 'utf8')).toBe(
      '# secret DB_PASSWORD\nGREETING="second\\nline"\n',
    );
    const back = await h.deploy({ tag: 'previous', environment: 'production' });
    expect(back.outputs).toMatchObject({ tag: v1, 'previous-tag': v2 });

    // Promotion: the same digest released for staging deploys there, and only there.
    const staging = await release('staging', 'GREETING=staging\n');
    expect((await h.deploy({ tag: staging, environment: 'production' })).error).toMatch(/promote it/);
    const promoted = await h.deploy({ tag: staging, environment: 'staging' });
    expect(promoted.error).toBeUndefined();
    expect(promoted.outputs['digest']).toBe(archive.digest);
    expect(h.gh.server.responseViolations).toEqual([]);
  });
});
