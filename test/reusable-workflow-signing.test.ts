// A build signed inside a reusable workflow: the caller (octo/app) calls
// OWNER/tools/.github/workflows/build.yml@v1, whose job runs the bundled
// build action with attest: true. The local Sigstore writes the certificate
// as the real Fulcio does for that job's OIDC token: the SAN and the Build
// Signer URI name the called workflow (job_workflow_ref), the Build Signer
// Digest its commit (job_workflow_sha), and the Build Config URI the
// caller's workflow (workflow_ref) ("About security hardening with OpenID
// Connect"; Fulcio's OID information, docs/oid-info.md).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { type RunWorkflowResult, runWorkflow } from '@build-release-run/workflow-runner';
import {
  TEST_TOKEN,
  type TestGitHub,
  commitFolder,
  startTestGitHub,
} from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, startTestSigstore, storedBundles } from '@build-release-run/test-helpers/sigstore';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const repoRoot = path.resolve(import.meta.dirname, '..');

const CALLER = `name: release
on: push
permissions: {}
jobs:
  build:
    uses: OWNER/tools/.github/workflows/build.yml@v1
    permissions:
      contents: read
      id-token: write
      attestations: write
`;

const BUILD = `on:
  workflow_call:
    outputs:
      digest:
        value: \${{ jobs.build.outputs.digest }}
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      digest: \${{ steps.build.outputs.digest }}
    steps:
      - uses: actions/checkout@v4
      - id: build
        uses: OWNER/build-release-run/actions/build@v1
        with:
          path: site
          format: tar.gz
          attest: 'true'
          run: mkdir -p site && echo "built by the reusable workflow" > site/index.html
`;

/** The text of a Fulcio extension: an OCTET STRING holding a DER UTF8String, found by its OID. */
function extension(der: Buffer, oid: string): string | undefined {
  const parts = oid.split('.').map(Number);
  const body = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const bytes = [part & 0x7f];
    for (let rest = part >> 7; rest > 0; rest >>= 7) bytes.unshift((rest & 0x7f) | 0x80);
    body.push(...bytes);
  }
  let at = der.indexOf(Buffer.from([0x06, body.length, ...body]));
  if (at < 0) return undefined;
  at += 2 + body.length;
  if (der[at] === 0x01) at += 3; // critical: BOOLEAN
  const readLength = (): number => {
    const first = der[at + 1]!;
    if (first < 0x80) return ((at += 2), first);
    const size = first & 0x7f;
    const length = der.subarray(at + 2, at + 2 + size).readUIntBE(0, size);
    at += 2 + size;
    return length;
  };
  if (der[at] !== 0x04) return undefined;
  readLength();
  if (der[at] !== 0x0c) return undefined;
  const length = readLength();
  return der.subarray(at, at + length).toString('utf8');
}

let dir: string;
let github: TestGitHub;
let sigstore: TestSigstore;
let toolsSha: string;
let result: RunWorkflowResult;
beforeAll(async () => {
  dir = await tempDir('brr-reusable-signing-');
  github = await startTestGitHub();
  sigstore = await startTestSigstore();
  const app = path.join(dir, 'app');
  await makeTree(app, { '.github/workflows/release.yml': CALLER });
  const tools = path.join(dir, 'tools');
  await makeTree(tools, { '.github/workflows/build.yml': BUILD });
  toolsSha = commitFolder(tools);
  result = await runWorkflow({
    workflowFile: '.github/workflows/release.yml',
    repoDir: app,
    repository: 'octo/app',
    sha: github.repo.commits.at(-1)!,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    actionRepositories: { 'OWNER/tools': tools, 'OWNER/build-release-run': repoRoot },
    workDir: path.join(dir, 'work'),
    runId: '77',
    ...sigstore.runnerOptions,
  });
}, 180_000);
afterAll(async () => {
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('a build attested by a job of a reusable workflow', () => {
  it('names the called workflow as the signer and the calling workflow as the build config', async () => {
    const job = result.jobs['build/build']!;
    expect([job.result, job.annotations.filter((a) => a.level === 'error')]).toEqual(['success', []]);
    const digest = result.jobs['build']!.outputs['digest']!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const [bundle] = (await storedBundles(github.server.url, TEST_TOKEN, 'octo/app', digest)) as {
      verificationMaterial: {
        certificate?: { rawBytes: string };
        x509CertificateChain?: { certificates: { rawBytes: string }[] };
      };
    }[];
    const material = bundle!.verificationMaterial;
    const der = Buffer.from(
      material.certificate?.rawBytes ?? material.x509CertificateChain!.certificates[0]!.rawBytes,
      'base64',
    );
    const signer = 'https://github.com/OWNER/tools/.github/workflows/build.yml@refs/tags/v1';
    expect(new X509Certificate(der).subjectAltName).toBe(`URI:${signer}`);
    expect(extension(der, '1.3.6.1.4.1.57264.1.9')).toBe(signer);
    expect(extension(der, '1.3.6.1.4.1.57264.1.10')).toBe(toolsSha);
    expect(extension(der, '1.3.6.1.4.1.57264.1.18')).toBe(
      'https://github.com/octo/app/.github/workflows/release.yml@refs/heads/main',
    );
    expect(extension(der, '1.3.6.1.4.1.57264.1.12')).toBe('https://github.com/octo/app');
    expect(extension(der, '1.3.6.1.4.1.57264.1.14')).toBe('refs/heads/main');
    expect(extension(der, '1.3.6.1.4.1.57264.1.13')).toBe(github.repo.commits.at(-1));
  });
});
