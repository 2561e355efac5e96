// The repository's build action (actions/build/action.yml, a node24 action
// that runs dist/build) run through the runner as a workflow step: every declared
// input reaches the code and every declared output is produced.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type ActionWiring, checkActionWiring } from '@build-release-run/test-helpers/action-wiring';
import { storedZipEntries } from '@build-release-run/test-helpers/stored-zip';
import { type ArtifactService, startArtifactService } from '../src/index.ts';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

let dir: string;
let wiring: ActionWiring;
let artifacts: ArtifactService;
// The attestation-id output needs a job that can sign and a server to store it.
let github: TestGitHub;
let sigstore: TestSigstore;

beforeAll(async () => {
  dir = await tempDir('brr-build-action-');
  artifacts = await startArtifactService(path.join(dir, 'artifacts'));
  github = await startTestGitHub();
  sigstore = await startTestSigstore();
  wiring = await checkActionWiring({
    artifacts,
    action: 'actions/build',
    dir,
    runId: '7',
    repository: 'octo/app',
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    permissions: { 'id-token': 'write', attestations: 'write' },
    ...sigstore.runnerOptions,
    with: {
      path: 'site',
      name: 'probe-app',
      format: 'tar.gz',
      'working-directory': 'packages/contract',
      run: 'mkdir -p site && echo "hello from the build" > site/index.html',
      'retention-days': '3',
      attest: 'true',
      token: TEST_TOKEN,
    },
  });
});

afterAll(async () => {
  await artifacts.stop();
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('actions/build through the runner', () => {
  it('succeeds without errors or "Unexpected input" warnings', () => {
    expect(wiring.job.annotations.filter((a) => a.level !== 'notice')).toEqual([]);
    expect(wiring.job.result).toBe('success');
  });

  it('gives every declared input to the code', () => {
    expect(wiring.declaredInputs.length).toBeGreaterThan(0);
    expect(wiring.unreadInputs).toEqual([]);
  });

  it('produces every declared output', () => {
    expect(wiring.declaredOutputs.length).toBeGreaterThan(0);
    // The image form's outputs (action.yml says they are empty for an archive
    // build); test/action-wiring.test.ts runs the image form too.
    expect(wiring.emptyOutputs).toEqual(['image', 'platforms']);
  });

  it('stores the archive as the artifact named from its digest, with the bytes the digest names', async () => {
    const outputs = wiring.step.outputs;
    const hex = outputs['digest']!.replace(/^sha256:/, '');
    expect(outputs['artifact-name']).toBe(`build-sha256-${hex}`);
    expect(path.basename(outputs['archive']!)).toBe(`probe-app-${hex.slice(0, 12)}.tar.gz`);
    expect(String((await stat(outputs['archive']!)).size)).toBe(outputs['size']);
    expect(outputs['files']).toBe('1');
    const [artifact, ...more] = artifacts.list('7');
    expect(more).toEqual([]);
    expect(artifact?.name).toBe(outputs['artifact-name']);
    const days = (Date.parse(artifact!.expiresAt) - Date.parse(artifact!.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(3);
    const zip = await (await artifacts.blob(artifact!)).downloadToBuffer();
    const stored = storedZipEntries(zip).get(path.basename(outputs['archive']!));
    expect(createHash('sha256').update(stored!).digest('hex')).toBe(hex);
  });
});
