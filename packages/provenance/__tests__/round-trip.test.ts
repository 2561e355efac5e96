import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type Digest, formatDigest } from '@build-release-run/contract';
import {
  GITHUB_ACTIONS_ISSUER,
  type OidcIssuer,
  type SigstoreServer,
  createOidcIssuer,
  startSigstoreServer,
} from '@build-release-run/sigstore-server';
import {
  type ProvenancePolicy,
  GITHUB_WORKFLOW_BUILD_TYPE,
  ProvenanceError,
  RELEASE_PREDICATE_TYPE,
  SLSA_PROVENANCE_PREDICATE_TYPE,
  type SerializedBundle,
  buildProvenanceStatement,
  releaseStatement,
  signStatement,
  signingEndpoints,
  subjectFor,
  verifyAttestation,
  workflowClaims,
} from '../src/index.ts';
import {
  COMMIT,
  REPOSITORY,
  SERVER_URL,
  githubClaims,
  tokenFor,
} from '@build-release-run/test-helpers/provenance-fixtures';

const digestOf = (text: string): Digest => formatDigest(createHash('sha256').update(text).digest('hex'));
const ARCHIVE = digestOf('archive bytes');

let issuer: OidcIssuer;
let sigstore: SigstoreServer;
let other: SigstoreServer;

beforeAll(async () => {
  issuer = createOidcIssuer();
  sigstore = await startSigstoreServer({ trustedIssuers: [issuer] });
  other = await startSigstoreServer({ trustedIssuers: [issuer] });
});
afterAll(async () => {
  await sigstore.close();
  await other.close();
});

const policy = (over: Partial<ProvenancePolicy> = {}): ProvenancePolicy => ({
  serverUrl: SERVER_URL,
  repository: REPOSITORY,
  issuer: GITHUB_ACTIONS_ISSUER,
  sourceRef: 'refs/heads/main',
  ...over,
});

async function attestBuild(claims = githubClaims(), subject = ARCHIVE, server = sigstore): Promise<SerializedBundle> {
  const token = tokenFor(issuer, claims);
  const statement = buildProvenanceStatement(
    subjectFor('shop.tar.zst', subject),
    workflowClaims(await token()),
    SERVER_URL,
  );
  return signStatement(statement, {
    endpoints: signingEndpoints('public', SERVER_URL, server.url),
    identityToken: token,
  });
}

function refusal(fn: () => unknown): ProvenanceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProvenanceError) return error;
    throw error;
  }
  throw new Error('expected a ProvenanceError');
}

describe('a build attested through the local Sigstore', () => {
  let bundle: SerializedBundle;
  beforeAll(async () => {
    bundle = await attestBuild();
  });

  test('verifies with its trusted root, and carries the SLSA predicate GitHub writes', () => {
    const verified = verifyAttestation({
      bundle,
      trustedRoot: sigstore.trustedRoot,
      policy: policy({ signers: [{ path: '.github/workflows/pipeline.yml' }], sourceCommit: COMMIT }),
      subject: ARCHIVE,
      predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    });
    expect(verified.identity.subjectAlternativeName).toBe(
      `https://github.com/${REPOSITORY}/.github/workflows/pipeline.yml@refs/heads/main`,
    );
    expect(verified.identity.extensions).toMatchObject({
      issuer: 'https://token.actions.githubusercontent.com',
      sourceRepositoryUri: `https://github.com/${REPOSITORY}`,
      sourceRepositoryRef: 'refs/heads/main',
      sourceRepositoryDigest: COMMIT,
      runnerEnvironment: 'github-hosted',
    });
    expect(verified.statement.predicate).toEqual({
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/heads/main',
            repository: `https://github.com/${REPOSITORY}`,
            path: '.github/workflows/pipeline.yml',
          },
        },
        internalParameters: {
          github: {
            event_name: 'push',
            repository_id: '42',
            repository_owner_id: '7',
            runner_environment: 'github-hosted',
          },
        },
        resolvedDependencies: [
          { uri: `git+https://github.com/${REPOSITORY}@refs/heads/main`, digest: { gitCommit: COMMIT } },
        ],
      },
      runDetails: {
        builder: { id: `https://github.com/${REPOSITORY}/.github/workflows/pipeline.yml@refs/heads/main` },
        metadata: { invocationId: `https://github.com/${REPOSITORY}/actions/runs/1001/attempts/1` },
      },
    });
  });

  test('is refused when its subject is another digest, naming the subject', () => {
    const error = refusal(() =>
      verifyAttestation({
        bundle,
        trustedRoot: sigstore.trustedRoot,
        policy: policy(),
        subject: digestOf('other'),
        predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
      }),
    );
    expect(error.claim).toBe('subject digest');
    expect(error.message).toContain(ARCHIVE);
  });

  test('is refused against a trusted root that does not hold its keys', () => {
    const error = refusal(() =>
      verifyAttestation({
        bundle,
        trustedRoot: other.trustedRoot,
        policy: policy(),
        subject: ARCHIVE,
        predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
      }),
    );
    expect(error.claim).toBe('signature');
  });

  test('is refused when the payload was changed after signing', () => {
    const forged = structuredClone(bundle) as { dsseEnvelope: { payload: string } };
    const statement = JSON.parse(Buffer.from(forged.dsseEnvelope.payload, 'base64').toString()) as {
      subject: { digest: { sha256: string } }[];
    };
    statement.subject[0]!.digest.sha256 = 'b'.repeat(64);
    forged.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const error = refusal(() =>
      verifyAttestation({
        bundle: forged,
        trustedRoot: sigstore.trustedRoot,
        policy: policy(),
        subject: formatDigest('b'.repeat(64)),
        predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
      }),
    );
    expect(error.claim).toBe('signature');
  });

  test('is refused as release provenance (another predicate type)', () => {
    const error = refusal(() =>
      verifyAttestation({
        bundle,
        trustedRoot: sigstore.trustedRoot,
        policy: policy(),
        subject: ARCHIVE,
        predicateType: RELEASE_PREDICATE_TYPE,
      }),
    );
    expect(error.claim).toBe('predicate type');
  });

  test.each([
    [
      'another workflow than build-signer',
      policy({ signers: [{ path: '.github/workflows/release.yml' }], signerInput: 'build-signer' }),
      'signer workflow (certificate SAN)',
      'build-signer',
    ],
    ['a policy for another ref', policy({ sourceRef: 'refs/heads/stable' }), 'source repository ref', 'source-ref'],
    ['a policy for another repository', policy({ repository: 'octo/other' }), 'source repository', undefined],
    ['a policy for another commit', policy({ sourceCommit: 'c'.repeat(40) }), 'source repository commit', undefined],
  ])('is refused under %s, naming the claim and the input', (_name, stricter, claim, input) => {
    const error = refusal(() =>
      verifyAttestation({
        bundle,
        trustedRoot: sigstore.trustedRoot,
        policy: stricter,
        subject: ARCHIVE,
        predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
      }),
    );
    expect(error.claim).toBe(claim);
    expect(error.input).toBe(input);
    if (input) expect(error.message).toContain(`'${input}'`);
  });
});

test('a build attested by a workflow run on another ref is refused under the default source ref', async () => {
  const bundle = await attestBuild(githubClaims({ ref: 'refs/heads/feature' }));
  const error = refusal(() =>
    verifyAttestation({
      bundle,
      trustedRoot: sigstore.trustedRoot,
      policy: policy(),
      subject: ARCHIVE,
      predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    }),
  );
  expect(error.claim).toBe('source repository ref');
  expect(error.message).toContain('refs/heads/feature');
});

describe('transparency: a Rekor entry where the trusted root has logs', () => {
  /** A build signed through the local Fulcio and its timestamp authority only: no transparency-log entry. */
  async function timestampOnly(): Promise<SerializedBundle> {
    const token = tokenFor(issuer, githubClaims());
    const statement = buildProvenanceStatement(subjectFor('a', ARCHIVE), workflowClaims(await token()), SERVER_URL);
    return signStatement(statement, {
      endpoints: { instance: 'custom', fulcioUrl: sigstore.url, tsaUrl: sigstore.url },
      identityToken: token,
    });
  }
  const verify = (bundle: unknown, trustedRoot: unknown) =>
    verifyAttestation({
      bundle,
      trustedRoot,
      policy: policy(),
      subject: ARCHIVE,
      predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    });

  test('refuses a bundle with a timestamp and no log entry when the root has logs (public-good)', async () => {
    const bundle = await timestampOnly();
    const error = refusal(() => verify(bundle, sigstore.trustedRoot));
    expect(error.claim).toBe('transparency log entry');
    expect(error.message).toMatch(
      /^the bundle has no transparency-log \(Rekor\) entry, but its trusted root has transparency logs/,
    );
    // The same signature with its log entry removed: refused the same way.
    const logged = structuredClone(await attestBuild()) as { verificationMaterial: { tlogEntries: unknown[] } };
    logged.verificationMaterial.tlogEntries = [];
    expect(refusal(() => verify(logged, sigstore.trustedRoot)).claim).toBe('transparency log entry');
  });

  test("accepts a timestamp alone where the root has no log (GitHub's own instance)", async () => {
    const noLogs = { ...(sigstore.trustedRoot as Record<string, unknown>), tlogs: [] };
    expect(verify(await timestampOnly(), noLogs).identity.extensions.sourceRepositoryRef).toBe('refs/heads/main');
  });
});

test('a build whose provenance has another build type is refused where the policy lists the accepted ones', async () => {
  const token = tokenFor(issuer, githubClaims());
  const statement = buildProvenanceStatement(subjectFor('a', ARCHIVE), workflowClaims(await token()), SERVER_URL);
  (statement.predicate['buildDefinition'] as { buildType: string }).buildType = 'https://example.com/any-build/v1';
  const bundle = await signStatement(statement, {
    endpoints: signingEndpoints('public', SERVER_URL, sigstore.url),
    identityToken: token,
  });
  const options = {
    bundle,
    trustedRoot: sigstore.trustedRoot,
    policy: policy(),
    subject: ARCHIVE,
    predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
  };
  const error = refusal(() => verifyAttestation({ ...options, buildTypes: [GITHUB_WORKFLOW_BUILD_TYPE] }));
  expect(error.claim).toBe('build type');
  expect(error.message).toBe(
    `the provenance's build type is https://example.com/any-build/v1, the policy accepts ${GITHUB_WORKFLOW_BUILD_TYPE}`,
  );
});

test('a release statement verifies with the release predicate', async () => {
  const releaseJson = digestOf('{"tag":"v3"}');
  const token = tokenFor(issuer, githubClaims({ workflowFile: '.github/workflows/release.yml' }));
  const statement = releaseStatement(subjectFor('release.json', releaseJson), {
    tag: 'v3',
    environment: 'production',
    commit: COMMIT,
    build: ARCHIVE,
    config: digestOf('A=1\n'),
    previous: 'v2',
  });
  const bundle = await signStatement(statement, {
    endpoints: signingEndpoints('private', SERVER_URL, sigstore.url),
    identityToken: token,
  });
  const verified = verifyAttestation({
    bundle,
    trustedRoot: sigstore.trustedRoot,
    policy: policy({ signers: [{ path: '.github/workflows/release.yml' }] }),
    subject: releaseJson,
    predicateType: RELEASE_PREDICATE_TYPE,
  });
  expect(verified.statement.predicate).toMatchObject({ tag: 'v3', build: { digest: ARCHIVE }, previous: 'v2' });
});

test('the local Fulcio refuses a token no trusted issuer signed', async () => {
  const stranger = createOidcIssuer();
  const statement = buildProvenanceStatement(
    subjectFor('a', ARCHIVE),
    workflowClaims(stranger.issue(githubClaims(), 'sigstore')),
    SERVER_URL,
  );
  await expect(
    signStatement(statement, {
      endpoints: signingEndpoints('public', SERVER_URL, sigstore.url),
      identityToken: tokenFor(stranger, githubClaims()),
      retries: 0,
    }),
  ).rejects.toThrow(/signature does not verify|401/);
});
