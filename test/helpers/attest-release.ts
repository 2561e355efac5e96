/**
 * Attests a release made by hand as the build and release workflows would:
 * a job token with GitHub's claims for `workflowFile` on `ref`, signed
 * through the local Sigstore, stored through the attestations API. Each
 * part can be changed to make the attestation an attacker could get.
 */
import type { Digest } from '@build-release-run/contract';
import type { ReleaseManifest } from '@build-release-run/release-format';
import type { ApiClient } from '@build-release-run/github-api';
import {
  buildProvenanceStatement,
  releaseStatement,
  signStatement,
  signingEndpoints,
  storeAttestation,
  subjectFor,
  workflowClaims,
} from '@build-release-run/provenance';
import { githubClaims, tokenFor } from './provenance-fixtures.ts';
import type { TestSigstore } from './sigstore.ts';

export interface SignerSpec {
  /** Default `.github/workflows/build-release.yml`. */
  workflowFile?: string;
  /** Default `refs/heads/main`. */
  ref?: string;
  /** The repository whose workflow signs; default octo/app. */
  repository?: string;
  /** The subject the statement names, instead of the real one. */
  subject?: Digest;
  /** Sign through this Sigstore instead (one the trusted root does not hold). */
  sigstore?: TestSigstore;
  /** The job's workflow when it is not the run's own (`owner/repo/.github/workflows/x.yml@ref`): a called workflow. */
  jobWorkflow?: string;
  /** Leave out the transparency-log entry (a bundle with a signed timestamp only). */
  noLogEntry?: boolean;
}

export interface AttestedRelease {
  tag: string;
  environment: string;
  commit: string;
  manifestDigest: Digest;
  buildDigest: Digest;
  configDigest: Digest;
}

async function sign(
  client: ApiClient,
  sigstore: TestSigstore,
  commit: string,
  spec: SignerSpec,
  statement: (claims: ReturnType<typeof workflowClaims>) => ReturnType<typeof releaseStatement>,
): Promise<void> {
  const signer = spec.sigstore ?? sigstore;
  const claims = githubClaims({
    repository: spec.repository ?? 'octo/app',
    workflowFile: spec.workflowFile ?? '.github/workflows/build-release.yml',
    ref: spec.ref ?? 'refs/heads/main',
    sha: commit,
    ...(spec.jobWorkflow === undefined ? {} : { jobWorkflow: spec.jobWorkflow }),
  });
  const token = tokenFor(signer.issuer, claims);
  const endpoints = signingEndpoints('public', 'https://github.com', signer.server.url);
  const bundle = await signStatement(statement(workflowClaims(await token())), {
    endpoints: spec.noLogEntry ? { ...endpoints, rekorUrl: undefined } : endpoints,
    identityToken: token,
  });
  await storeAttestation(client, bundle);
}

/** Attests release.json and the build; `false` leaves one unattested. */
export async function attestTestRelease(
  client: ApiClient,
  sigstore: TestSigstore,
  release: AttestedRelease,
  signers: { release?: SignerSpec | false; build?: SignerSpec | false } = {},
): Promise<void> {
  const { release: releaseSigner = {}, build: buildSigner = {} } = signers;
  if (releaseSigner !== false) {
    await sign(client, sigstore, release.commit, releaseSigner, () =>
      releaseStatement(subjectFor('release.json', releaseSigner.subject ?? release.manifestDigest), {
        tag: release.tag,
        environment: release.environment,
        commit: release.commit,
        build: release.buildDigest,
        config: release.configDigest,
        previous: null,
      }),
    );
  }
  if (buildSigner !== false) {
    await sign(client, sigstore, release.commit, buildSigner, (claims) =>
      buildProvenanceStatement(
        subjectFor('app.tar.gz', buildSigner.subject ?? release.buildDigest),
        claims,
        'https://github.com',
      ),
    );
  }
}

/** Attests a release published by hand (publishTestRelease) as its workflows would; `false` leaves it unattested. */
export async function attestPublished(
  client: ApiClient,
  sigstore: TestSigstore,
  published: { manifest: ReleaseManifest; manifestDigest: Digest },
  signers: false | { release?: SignerSpec | false; build?: SignerSpec | false } = {},
): Promise<void> {
  if (signers === false) return;
  const { manifest } = published;
  await attestTestRelease(
    client,
    sigstore,
    {
      tag: manifest.tag,
      environment: manifest.environment,
      commit: manifest.build.commit,
      manifestDigest: published.manifestDigest,
      buildDigest: manifest.build.digest,
      configDigest: manifest.config.digest,
    },
    signers,
  );
}
