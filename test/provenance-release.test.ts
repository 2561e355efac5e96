// The bundled release action attests release.json through the runner: the
// statement's subject is the sha256 of the release.json asset GitHub holds,
// its predicate the release facts, its signer the release workflow; the
// notes show what was attested and the gh commands that check it. Without
// id-token: write the release is made and its notes say it is not attested.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatDigest } from '@build-release-run/contract';
import { RELEASE_PREDICATE_TYPE, verifyAttestation } from '@build-release-run/provenance';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import {
  type TestSigstore,
  attestedPipeline,
  runAttestingWorkflow,
  startTestSigstore,
  storedBundles,
} from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { createHash } from 'node:crypto';

let github: TestGitHub;
let sigstore: TestSigstore;
let dir: string;

function runPipeline(name: string, releasePermissions: string): Promise<RunWorkflowResult> {
  const workflowText = attestedPipeline(name, releasePermissions);
  return runAttestingWorkflow({ github, sigstore, dir, name, file: 'pipeline.yml', workflow: workflowText });
}

async function releaseAsset(tag: string, name: string): Promise<{ notes: string; bytes: Buffer }> {
  const headers = { authorization: `Bearer ${TEST_TOKEN}` };
  const release = (await (
    await fetch(`${github.server.url}/repos/octo/app/releases/tags/${tag}`, { headers })
  ).json()) as {
    body: string;
    assets: { name: string; url: string }[];
  };
  const asset = release.assets.find((a) => a.name === name)!;
  const bytes = Buffer.from(
    await (await fetch(asset.url, { headers: { ...headers, accept: 'application/octet-stream' } })).arrayBuffer(),
  );
  return { notes: release.body, bytes };
}

beforeAll(async () => {
  github = await startTestGitHub({ immutableReleases: true });
  sigstore = await startTestSigstore();
  dir = await tempDir('brr-provenance-release-');
}, 60_000);
afterAll(async () => {
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('a release job that grants id-token: write and attestations: write', () => {
  let result: RunWorkflowResult;
  beforeAll(async () => {
    result = await runPipeline('staging', '      contents: write\n      id-token: write\n      attestations: write');
  }, 180_000);

  it('attests the release.json GitHub holds, with the release facts, signed by the release workflow', async () => {
    const job = result.jobs['release']!;
    expect([job.result, job.annotations.filter((a) => a.level !== 'notice')]).toEqual(['success', []]);
    const tag = job.outputs['tag']!;
    const { bytes, notes } = await releaseAsset(tag, 'release.json');
    const digest = formatDigest(createHash('sha256').update(bytes).digest('hex'));
    const bundles = await storedBundles(github.server.url, TEST_TOKEN, 'octo/app', digest);
    expect(bundles).toHaveLength(1);
    const verified = verifyAttestation({
      bundle: bundles[0],
      trustedRoot: sigstore.server.trustedRoot,
      policy: {
        serverUrl: 'https://github.com',
        repository: 'octo/app',
        issuer: sigstore.issuer.issuer,
        signers: [{ path: '.github/workflows/pipeline.yml' }],
        sourceRef: 'refs/heads/main',
      },
      subject: digest,
      predicateType: RELEASE_PREDICATE_TYPE,
    });
    const manifest = JSON.parse(bytes.toString('utf8')) as {
      build: { digest: string; commit: string };
      config: { digest: string };
    };
    expect(verified.statement.predicate).toEqual({
      tag,
      environment: 'staging',
      commit: manifest.build.commit,
      build: { digest: manifest.build.digest },
      config: { digest: manifest.config.digest },
      previous: null,
    });
    expect(job.outputs['attestation']).toMatch(/^\d+$/);
    expect(notes).toContain('### Provenance');
    expect(notes).toContain(`\`release.json\` (\`${digest}\`) is attested`);
    expect(notes).toContain(
      `gh attestation verify release.json --repo octo/app --predicate-type '${RELEASE_PREDICATE_TYPE}' --signer-workflow octo/app/.github/workflows/pipeline.yml`,
    );
    expect(job.summary).toContain('### Provenance');
  });
});

describe('a release job without id-token: write', () => {
  it('releases, and the notes say release.json is not attested and what deploy will do', async () => {
    const result = await runPipeline('plain', '      contents: write');
    const job = result.jobs['release']!;
    expect(job.result).toBe('success');
    expect(job.outputs['attestation']).toBe('');
    expect(job.annotations.map((a) => `${a.level}: ${a.message}`)).toEqual([
      expect.stringMatching(/^notice: The release is not attested: the job does not grant 'id-token: write'/),
    ]);
    const { notes } = await releaseAsset(job.outputs['tag']!, 'release.json');
    expect(notes).toContain('`release.json` is **not attested**');
    expect(notes).toContain("unless its input 'verify-provenance' is 'false'");
    expect(github.server.responseViolations).toEqual([]);
  }, 180_000);
});
