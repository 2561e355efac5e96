/**
 * Provenance at deploy time (issue 11): a release must carry attestations
 * of its release.json and its build, signed through the trusted Sigstore by
 * a workflow of this repository on the expected ref. Releases here are made
 * by direct API calls, as someone with a contents: write token would, and
 * attested (or not) as the build and release workflows would. Each refusal
 * happens before any deployment exists, runs nothing, and names the claim
 * and the input that would change the policy.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActionRun } from '@build-release-run/test-helpers/action-env';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { type TestSigstore, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { startHarness } from './helpers.ts';

let h: DeployHarness;
let otherSigstore: TestSigstore;
beforeAll(async () => {
  h = await startHarness();
  otherSigstore = await startTestSigstore();
});
afterAll(async () => {
  await otherSigstore.close();
  await h.close();
});

let next = 200;
const newTag = () => `v${++next}`;
/** A build of its own per release: an attestation of one build must not vouch for another. */
const filesOf = (tag: string) => ({ 'app.txt': `app ${tag}\n` });
const deploymentsCreated = () => h.gh.server.requests.filter((r) => r.operationId === 'repos/create-deployment').length;

async function expectRefused(
  inputs: Record<string, string>,
  message: RegExp,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const before = deploymentsCreated();
  const result = await h.deploy(inputs, env);
  expect(result.failed).toBe(true);
  expect(result.error).toMatch(message);
  expect(deploymentsCreated()).toBe(before);
  expect(result.outputs).toEqual({});
  expect(await h.ran()).toEqual([]);
  return result;
}

async function expectDeployed(inputs: Record<string, string>): Promise<ActionRun> {
  const result = await h.deploy(inputs);
  expect(result.error).toBeUndefined();
  expect(result.outputs['tag']).toBe(inputs['tag']);
  await h.resetMarkers();
  return result;
}

describe('a release attested by the expected workflows', () => {
  it('deploys, and the summary names both signers', async () => {
    const tag = newTag();
    await h.publish({ tag, files: filesOf(tag) });
    const result = await expectDeployed({ tag });
    const signer = 'https://github.com/octo/app/.github/workflows/build-release.yml@refs/heads/main';
    expect(result.stdout).toContain(`Provenance verified: release.json of ${tag} signed by ${signer}`);
    expect(result.summary).toMatch(
      new RegExp(
        `\\| Provenance \\| verified, SLSA Build L2 \\(signed by the job that built it\\): release\\.json signed by \`${signer.replace(/[./]/g, '\\$&')}\``,
      ),
    );
    // No signer named: the summary says any workflow of the repository was accepted.
    expect(result.summary).toContain('the signer was not named (`release-signer`, `build-signer` empty');
    const named = await expectDeployed({
      tag,
      'build-signer': 'build-release.yml',
      'release-signer': 'build-release.yml',
    });
    expect(named.summary).not.toContain('the signer was not named');
  });
});

describe('a release forged with a contents: write token', () => {
  it('is refused before any deployment when nothing is attested, naming the missing attestation', async () => {
    const tag = newTag();
    await h.publish({ tag, files: filesOf(tag), attest: false });
    await expectRefused(
      { tag },
      new RegExp(
        `^No attestation of release\\.json of ${tag} \\(sha256:[0-9a-f]{64}\\) in octo/app: nothing proves a workflow of this repository made it\\..*set 'verify-provenance: false' to deploy without provenance`,
      ),
    );
  });

  it('is refused when only release.json is attested: the build must be too', async () => {
    const tag = newTag();
    const { manifest } = await h.publish({ tag, files: filesOf(tag), attest: { build: false } });
    await expectRefused({ tag }, new RegExp(`^No attestation of the build of ${tag} \\(${manifest.build.digest}\\)`));
  });

  it('deploys with verify-provenance: false, and the summary says provenance was not checked', async () => {
    const tag = newTag();
    await h.publish({ tag, files: filesOf(tag), attest: false });
    const result = await expectDeployed({ tag, 'verify-provenance': 'false' });
    expect(result.stdout).toContain(`Provenance of ${tag} is not checked ('verify-provenance: false')`);
    expect(result.summary).toContain('| Provenance | **not checked** (`verify-provenance: false`)');
  });
});

describe('the identity policy', () => {
  it('refuses a build attested by a workflow on another ref, naming the claim and source-ref', async () => {
    const tag = newTag();
    await h.publish({ tag, files: filesOf(tag), attest: { build: { ref: 'refs/heads/experiment' } } });
    await expectRefused(
      { tag },
      /The attestation of the build of v\d+ \(sha256:[0-9a-f]{64}\) is refused: the source repository ref is refs\/heads\/experiment, the policy expects refs\/heads\/main\. Set the input 'source-ref' if this signer is expected\./,
    );
  });

  it("accepts another ref when 'source-ref' names it", async () => {
    const tag = newTag();
    const onBranch = { ref: 'refs/heads/experiment' };
    await h.publish({ tag, files: filesOf(tag), attest: { build: onBranch, release: onBranch } });
    await expectRefused({ tag }, /source repository ref is refs\/heads\/experiment/);
    await expectDeployed({ tag, 'source-ref': 'experiment' });
  });

  it("refuses a build attested by another workflow than 'build-signer', naming the claim", async () => {
    const tag = newTag();
    await h.publish({ tag, files: filesOf(tag), attest: { build: { workflowFile: '.github/workflows/scratch.yml' } } });
    await expectRefused(
      { tag, 'build-signer': 'build-release.yml' },
      /The attestation of the build of v\d+ .* is refused: the signer workflow \(certificate SAN\) is https:\/\/github\.com\/octo\/app\/\.github\/workflows\/scratch\.yml@refs\/heads\/main, the policy expects https:\/\/github\.com\/octo\/app\/\.github\/workflows\/build-release\.yml@refs\/heads\/main\. Set the input 'build-signer' if this signer is expected\./,
    );
    // The default accepts any workflow file of this repository; a list names several.
    await expectDeployed({ tag });
    await expectDeployed({ tag, 'build-signer': 'build-release.yml, .github/workflows/scratch.yml' });
  });

  it('refuses an attestation of another repository', async () => {
    const tag = newTag();
    await h.publish({ tag, files: filesOf(tag), attest: { release: { repository: 'mallory/app' } } });
    await expectRefused(
      { tag },
      /the source repository is https:\/\/github\.com\/mallory\/app, the policy expects https:\/\/github\.com\/octo\/app/,
    );
  });
});

describe('the signature and the subject', () => {
  it('refuses a signature from a Sigstore the trusted root does not hold', async () => {
    const tag = newTag();
    await h.publish({ tag, files: filesOf(tag), attest: { build: { sigstore: otherSigstore } } });
    await expectRefused(
      { tag },
      /The attestation of the build of v\d+ .* is refused: the signature, its certificate chain or its log\/timestamp evidence does not verify against the trusted root/,
    );
  });

  it('refuses an attestation whose subject is not the asset deploy runs, even when the API lists it for that digest', async () => {
    // GitHub indexes attestations by subject; deploy does not trust the
    // index: a proxy answers the build's lookup with another build's
    // (genuinely signed) attestation.
    const tag = newTag();
    const decoy = await h.publish({ tag: newTag(), files: { 'app.txt': 'decoy\n' } });
    const { manifest } = await h.publish({ tag, files: { 'app.txt': 'real\n' }, attest: { build: false } });
    const proxy = await startRewritingProxy(h.gh.server.url, manifest.build.digest, decoy.manifest.build.digest);
    try {
      await expectRefused(
        { tag },
        new RegExp(
          `The attestation of the build of ${tag} \\(${manifest.build.digest}\\) is refused: the statement's subject is ${decoy.manifest.build.digest}, not ${manifest.build.digest}`,
        ),
        { GITHUB_API_URL: proxy.url },
      );
    } finally {
      await proxy.close();
    }
  });
});

/** Forwards to `target`, answering attestation lookups for `from` with those for `to`. */
async function startRewritingProxy(
  target: string,
  from: string,
  to: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const lookup = decodeURIComponent(url.pathname);
    if (lookup.endsWith(`/attestations/${from}`)) url.pathname = lookup.replace(from, to);
    const forward = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
