// What deploy will check, against the local GitHub server and Sigstore: a
// release whose release.json and build are attested by the expected
// workflow passes; a forged release with no attestation, a build attested by
// another workflow or on another ref, and release facts naming another build
// are refused, each naming what failed.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { type Digest, formatDigest } from '@build-release-run/contract';
import { ApiClient, type GitHubRequest } from '@build-release-run/github-api';
import { GITHUB_ACTIONS_ISSUER } from '@build-release-run/sigstore-server';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import {
  ProvenanceError,
  type ProvenancePolicy,
  buildProvenanceStatement,
  releaseStatement,
  signStatement,
  signingEndpoints,
  storeAttestation,
  subjectFor,
  verifyReleaseProvenance,
  workflowClaims,
} from '../src/index.ts';
import { COMMIT, githubClaims, tokenFor } from '@build-release-run/test-helpers/provenance-fixtures';

const digestOf = (text: string): Digest => formatDigest(createHash('sha256').update(text).digest('hex'));

let github: TestGitHub;
let sigstore: TestSigstore;
let client: ApiClient;

beforeAll(async () => {
  github = await startTestGitHub();
  sigstore = await startTestSigstore();
  const octokit = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
  const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
  client = new ApiClient({ request, repository: 'octo/app' });
});
afterAll(async () => {
  expect(github.server.responseViolations).toEqual([]);
  await github.close();
  await sigstore.close();
});

const policy: ProvenancePolicy = {
  serverUrl: 'https://github.com',
  repository: 'octo/app',
  issuer: GITHUB_ACTIONS_ISSUER,
  signers: [{ path: '.github/workflows/pipeline.yml' }],
  signerInput: 'build-signer',
  sourceRef: 'refs/heads/main',
};

const claims = (over: Parameters<typeof githubClaims>[0] = {}) => githubClaims({ repository: 'octo/app', ...over });

async function attestBuild(build: Digest, over: Parameters<typeof githubClaims>[0] = {}): Promise<void> {
  const token = tokenFor(sigstore.issuer, claims(over));
  const statement = buildProvenanceStatement(
    subjectFor('app.tar.zst', build),
    workflowClaims(await token()),
    'https://github.com',
  );
  const endpoints = signingEndpoints('public', 'https://github.com', sigstore.server.url);
  await storeAttestation(client, await signStatement(statement, { endpoints, identityToken: token }));
}

async function attestRelease(
  manifest: Digest,
  build: Digest,
  over: Parameters<typeof githubClaims>[0] = {},
): Promise<void> {
  const token = tokenFor(sigstore.issuer, claims(over));
  const statement = releaseStatement(subjectFor('release.json', manifest), {
    tag: 'v1',
    environment: 'staging',
    commit: COMMIT,
    build,
    config: digestOf('A=1\n'),
    previous: null,
  });
  const endpoints = signingEndpoints('public', 'https://github.com', sigstore.server.url);
  await storeAttestation(client, await signStatement(statement, { endpoints, identityToken: token }));
}

function check(manifest: Digest, build: Digest) {
  return verifyReleaseProvenance({
    client,
    trustedRoot: sigstore.server.trustedRoot,
    release: { tag: 'v1', manifest },
    build,
    releasePolicy: policy,
    buildPolicy: policy,
  });
}

async function refusal(promise: Promise<unknown>): Promise<ProvenanceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProvenanceError) return error;
    throw error;
  }
  throw new Error('expected a ProvenanceError');
}

describe('release provenance', () => {
  it('passes when release.json and the build are attested by the expected workflow', async () => {
    const build = digestOf('build one');
    const manifest = digestOf('release one');
    await attestBuild(build);
    await attestRelease(manifest, build);
    const verified = await check(manifest, build);
    expect(verified.release.statement.predicate).toMatchObject({ tag: 'v1', build: { digest: build } });
  });

  it('refuses a forged release nobody attested, naming the missing attestation and the opt-out', async () => {
    const build = digestOf('build two');
    await attestBuild(build);
    const error = await refusal(check(digestOf('forged release.json'), build));
    expect(error.claim).toBe('attestation');
    expect(error.message).toMatch(/^No attestation of release\.json of v1 \(sha256:[0-9a-f]{64}\) in octo\/app/);
    expect(error.message).toContain("'verify-provenance: false'");
  });

  it('refuses a build attested by another workflow, naming the claim and build-signer', async () => {
    const build = digestOf('build three');
    const manifest = digestOf('release three');
    await attestBuild(build, { workflowFile: '.github/workflows/other.yml' });
    await attestRelease(manifest, build);
    const error = await refusal(check(manifest, build));
    expect(error.claim).toBe('signer workflow (certificate SAN)');
    expect(error.input).toBe('build-signer');
    expect(error.message).toContain('The attestation of the build of v1');
    expect(error.message).toContain('other.yml');
  });

  it('refuses a build attested on another ref, naming source-ref', async () => {
    const build = digestOf('build four');
    const manifest = digestOf('release four');
    await attestBuild(build, { ref: 'refs/heads/feature' });
    await attestRelease(manifest, build);
    const error = await refusal(check(manifest, build));
    expect(error.claim).toBe('source repository ref');
    expect(error.input).toBe('source-ref');
  });

  it('refuses attested release facts that name another build', async () => {
    const build = digestOf('build five');
    const manifest = digestOf('release five');
    await attestBuild(build);
    await attestRelease(manifest, digestOf('some other build'));
    const error = await refusal(check(manifest, build));
    expect(error.claim).toBe('release build digest');
  });

  it('refuses bundles signed by a Sigstore the trusted root does not hold', async () => {
    const build = digestOf('build six');
    const manifest = digestOf('release six');
    await attestBuild(build);
    await attestRelease(manifest, build);
    const stranger = await startTestSigstore();
    try {
      const error = await refusal(
        verifyReleaseProvenance({
          client,
          trustedRoot: stranger.server.trustedRoot,
          release: { tag: 'v1', manifest },
          build,
          releasePolicy: policy,
          buildPolicy: policy,
        }),
      );
      expect(error.claim).toBe('signature');
    } finally {
      await stranger.close();
    }
  });
});
