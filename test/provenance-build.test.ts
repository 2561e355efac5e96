// The bundled build action attests its archive through the runner: a job
// that grants id-token: write gets a token from the runner, the local
// Sigstore signs, the local GitHub server stores the bundle, and the bundle
// verifies against the local trusted root with the build's identity. A job
// without the permission builds and says why it did not attest.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Digest } from '@build-release-run/contract';
import { SLSA_PROVENANCE_PREDICATE_TYPE, verifyAttestation } from '@build-release-run/provenance';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import {
  type TestSigstore,
  runAttestingWorkflow,
  startTestSigstore,
  storedBundles,
} from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

function workflow(permissions: string, content: string): string {
  return `name: build
on: push
jobs:
  build:
    runs-on: ubuntu-latest
${permissions}
    steps:
      - uses: actions/checkout@v4
      - id: build
        uses: OWNER/build-release-run/actions/build@v1
        with:
          path: site
          format: tar.gz
          run: mkdir -p site && echo "${content}" > site/index.html
    outputs:
      digest: \${{ steps.build.outputs.digest }}
      attestation: \${{ steps.build.outputs.attestation-id }}
`;
}

let github: TestGitHub;
let sigstore: TestSigstore;
let dir: string;

function runBuild(name: string, permissions: string, server: TestGitHub = github): Promise<RunWorkflowResult> {
  return runAttestingWorkflow({
    github: server,
    sigstore,
    dir,
    name,
    file: 'build.yml',
    workflow: workflow(permissions, name),
  });
}

const bundlesFor = (digest: string) => storedBundles(github.server.url, TEST_TOKEN, 'octo/app', digest);

beforeAll(async () => {
  github = await startTestGitHub();
  sigstore = await startTestSigstore();
  dir = await tempDir('brr-provenance-build-');
}, 60_000);
afterAll(async () => {
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('a build job that grants id-token: write and attestations: write', () => {
  let result: RunWorkflowResult;
  beforeAll(async () => {
    result = await runBuild(
      'granted',
      '    permissions:\n      id-token: write\n      attestations: write\n      contents: read',
    );
  }, 120_000);

  it('stores SLSA provenance for the archive digest that verifies with the workflow identity', async () => {
    const job = result.jobs['build']!;
    expect([job.result, job.annotations.filter((a) => a.level !== 'notice')]).toEqual(['success', []]);
    const digest = job.outputs['digest'] as Digest;
    expect(job.outputs['attestation']).toMatch(/^\d+$/);
    const bundles = await bundlesFor(digest);
    expect(bundles).toHaveLength(1);
    const verified = verifyAttestation({
      bundle: bundles[0],
      trustedRoot: sigstore.server.trustedRoot,
      policy: {
        serverUrl: 'https://github.com',
        repository: 'octo/app',
        issuer: sigstore.issuer.issuer,
        sourceRef: 'refs/heads/main',
        sourceCommit: github.repo.commits.at(-1)!,
      },
      subject: digest,
      predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    });
    expect(verified.identity.subjectAlternativeName).toBe(
      'https://github.com/octo/app/.github/workflows/build.yml@refs/heads/main',
    );
    expect(job.summary).toContain('gh attestation verify app-');
    expect(job.summary).toContain('--repo octo/app');
  });

  it("keeps the local server within GitHub's OpenAPI description", () => {
    expect(github.server.responseViolations).toEqual([]);
  });
});

describe('a build job without id-token: write', () => {
  it('builds, attests nothing, and says how to turn attestation on', async () => {
    const result = await runBuild('plain', '    permissions:\n      contents: read');
    const job = result.jobs['build']!;
    expect(job.result).toBe('success');
    expect(job.outputs['attestation']).toBe('');
    expect(job.annotations.map((a) => `${a.level}: ${a.message}`)).toEqual([
      expect.stringMatching(/^notice: The build is not attested: the job does not grant 'id-token: write'/),
    ]);
    expect(await bundlesFor(job.outputs['digest']!)).toEqual([]);
  }, 120_000);
});

describe('a repository GitHub offers no attestations for (user-owned private)', () => {
  it('builds and warns that the build is not attested, and why', async () => {
    const privateRepo = await startTestGitHub({ withoutAttestations: ['octo/app'] });
    try {
      const result = await runBuild(
        'private',
        '    permissions:\n      id-token: write\n      attestations: write',
        privateRepo,
      );
      const job = result.jobs['build']!;
      expect(job.result).toBe('success');
      expect(job.outputs['attestation']).toBe('');
      expect(job.annotations.map((a) => `${a.level}: ${a.message}`)).toEqual([
        expect.stringMatching(
          /^warning: The build is not attested: GitHub offers no artifact attestations for this repository .*Enterprise Cloud/,
        ),
      ]);
      expect(job.summary).toContain('not attested: GitHub offers no attestations for this repository');
      expect(privateRepo.server.responseViolations).toEqual([]);
    } finally {
      await privateRepo.close();
    }
  }, 120_000);
});
