// The attestation endpoints, through Octokit, with every request and
// response held to the OpenAPI description (responseViolations stays empty).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  startTestGitHub,
  TEST_REPO,
  TEST_TOKEN,
  type TestGitHub,
  requestFailure,
} from '@build-release-run/test-helpers/github-server';

let gh: TestGitHub;
let octokit: ReturnType<typeof getOctokit>;

afterEach(async () => {
  expect(gh.server.responseViolations).toEqual([]);
  await gh.close();
});

const HEX = 'ab'.repeat(32);

/** A bundle whose DSSE payload is an in-toto statement about `hex` (unsigned: the server does not verify). */
function bundleAbout(hex: string, predicateType = 'https://slsa.dev/provenance/v1'): Record<string, unknown> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'a', digest: { sha256: hex } }],
    predicateType,
    predicate: {},
  };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: 'AA==' }, tlogEntries: [] },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [],
    },
  };
}

describe('a repository with attestations', () => {
  beforeEach(async () => {
    gh = await startTestGitHub();
    octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
  });

  it('stores a bundle and lists it under its subject digest, newest first', async () => {
    const first = await octokit.rest.repos.createAttestation({ ...TEST_REPO, bundle: bundleAbout(HEX) });
    expect(first.status).toBe(201);
    const release = await octokit.rest.repos.createAttestation({
      ...TEST_REPO,
      bundle: bundleAbout(HEX, 'https://example.test/release'),
    });
    const { data } = await octokit.rest.repos.listAttestations({ ...TEST_REPO, subject_digest: `sha256:${HEX}` });
    expect(data.attestations?.map((a) => (a.bundle as { dsseEnvelope: unknown }).dsseEnvelope)).toEqual([
      bundleAbout(HEX, 'https://example.test/release')['dsseEnvelope'],
      bundleAbout(HEX)['dsseEnvelope'],
    ]);
    expect(data.attestations?.[0]?.bundle_url).toContain(`/attestations/${release.data.id}/bundle`);
  });

  it('filters by predicate type, short name or full', async () => {
    await octokit.rest.repos.createAttestation({ ...TEST_REPO, bundle: bundleAbout(HEX) });
    await octokit.rest.repos.createAttestation({
      ...TEST_REPO,
      bundle: bundleAbout(HEX, 'https://example.test/release'),
    });
    const provenance = await octokit.rest.repos.listAttestations({
      ...TEST_REPO,
      subject_digest: `sha256:${HEX}`,
      predicate_type: 'provenance',
    });
    expect(provenance.data.attestations).toHaveLength(1);
    const custom = await octokit.rest.repos.listAttestations({
      ...TEST_REPO,
      subject_digest: `sha256:${HEX}`,
      predicate_type: 'https://example.test/release',
    });
    expect(custom.data.attestations).toHaveLength(1);
  });

  it('answers 404 for a digest nothing attests', async () => {
    await octokit.rest.repos.createAttestation({ ...TEST_REPO, bundle: bundleAbout(HEX) });
    const error = await requestFailure(
      octokit.rest.repos.listAttestations({ ...TEST_REPO, subject_digest: `sha256:${'cd'.repeat(32)}` }),
    );
    expect(error.status).toBe(404);
  });

  it('refuses a bundle without a bundle, or without an in-toto statement', async () => {
    const missing = await requestFailure(
      octokit.request('POST /repos/{owner}/{repo}/attestations', { ...TEST_REPO } as never),
    );
    expect(missing.status).toBe(422);
    const bundle = bundleAbout(HEX);
    (bundle['dsseEnvelope'] as { payloadType: string }).payloadType = 'text/plain';
    const notInToto = await requestFailure(octokit.rest.repos.createAttestation({ ...TEST_REPO, bundle }));
    expect(notInToto.status).toBe(422);
  });

  it('refuses writes from a read-only token', async () => {
    await gh.close();
    gh = await startTestGitHub({ readOnlyTokens: ['reader'] });
    const reader = getOctokit('reader', { baseUrl: gh.server.url });
    const error = await requestFailure(reader.rest.repos.createAttestation({ ...TEST_REPO, bundle: bundleAbout(HEX) }));
    expect(error.status).toBe(403);
  });
});

describe('a user-owned private repository (no attestations outside Enterprise Cloud)', () => {
  beforeEach(async () => {
    gh = await startTestGitHub({ withoutAttestations: ['octo/app'] });
    octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
  });

  it('answers 403 "Feature not available" to a write and 404 to a read', async () => {
    const write = await requestFailure(
      octokit.rest.repos.createAttestation({ ...TEST_REPO, bundle: bundleAbout(HEX) }),
    );
    expect(write.status).toBe(403);
    expect(write.response?.data).toMatchObject({ message: expect.stringContaining('Feature not available') });
    const read = await requestFailure(
      octokit.rest.repos.listAttestations({ ...TEST_REPO, subject_digest: `sha256:${HEX}` }),
    );
    expect(read.status).toBe(404);
  });
});
