// Whose signature one claim accepts: the certificate identity against a
// signer allow-list, as a table. The identities are what Fulcio writes for a
// GitHub Actions job: the SAN and Build Signer URI from `job_workflow_ref`,
// Source Repository Ref and Digest from the run's `ref` and `sha`.
import { describe, expect, it } from '@jest/globals';
import type { CertificateIdentity } from '../src/certificate-identity.ts';
import { type ProvenancePolicy, type SignerRule, checkIdentity } from '../src/policy.ts';

const SERVER = 'https://github.com';
const COMMIT = 'c'.repeat(40);
const OTHER_COMMIT = 'd'.repeat(40);

/** A job of `jobWorkflow` (`owner/repo/.github/workflows/x.yml@ref`) in a run of octo/app on `ref`. */
function identity(jobWorkflow: string, ref = 'refs/heads/main', jobWorkflowSha = COMMIT): CertificateIdentity {
  return {
    subjectAlternativeName: `${SERVER}/${jobWorkflow}`,
    extensions: {
      issuer: 'https://token.actions.githubusercontent.com',
      sourceRepositoryUri: `${SERVER}/octo/app`,
      sourceRepositoryRef: ref,
      sourceRepositoryDigest: COMMIT,
      buildSignerUri: `${SERVER}/${jobWorkflow}`,
      buildSignerDigest: jobWorkflowSha,
    },
  };
}

function policy(signers: SignerRule[] | undefined): ProvenancePolicy {
  return {
    serverUrl: SERVER,
    repository: 'octo/app',
    issuer: 'https://token.actions.githubusercontent.com',
    sourceRef: 'refs/heads/main',
    sourceCommit: COMMIT,
    signerInput: 'build-signer',
    ...(signers === undefined ? {} : { signers }),
  };
}

const file = (name: string, ref?: string): SignerRule => ({
  path: `.github/workflows/${name}`,
  ...(ref === undefined ? {} : { ref }),
});
const BUILDER = 'octo/build-release-run/.github/workflows/build.yml';

describe('checkIdentity: the signer allow-list of one claim', () => {
  it.each<[string, CertificateIdentity, SignerRule[] | undefined]>([
    [
      'any workflow of this repository on the source ref (empty list)',
      identity('octo/app/.github/workflows/x.yml@refs/heads/main'),
      undefined,
    ],
    [
      'a listed file on the source ref',
      identity('octo/app/.github/workflows/build-release.yml@refs/heads/main'),
      [file('promote.yml'), file('build-release.yml')],
    ],
    [
      'a listed file at its exact ref',
      identity('octo/app/.github/workflows/build-release.yml@refs/tags/v2'),
      [file('build-release.yml', 'refs/tags/v2')],
    ],
    [
      'a listed file pinned to the commit it ran at',
      identity(`octo/app/.github/workflows/b.yml@${OTHER_COMMIT}`, 'refs/heads/main', OTHER_COMMIT),
      [file('b.yml', OTHER_COMMIT)],
    ],
    // The reusable-workflow builder of SLSA Build L3: one more rule, no other change.
    [
      'a builder of another repository at its exact ref',
      identity(`${BUILDER}@refs/tags/v1.2.0`),
      [
        file('build-release.yml'),
        { repository: 'octo/build-release-run', path: '.github/workflows/build.yml', ref: 'refs/tags/v1.2.0' },
      ],
    ],
  ])('accepts %s', (_name, id, signers) => {
    expect(checkIdentity(id, policy(signers))).toEqual([]);
  });

  it.each<[string, CertificateIdentity, SignerRule[] | undefined, string]>([
    // Issue 22 point 4: a run of main calling the workflow file from another branch.
    [
      'the listed file from another branch in a run of the source ref',
      identity('octo/app/.github/workflows/build-release.yml@refs/heads/evil'),
      [file('build-release.yml')],
      `${SERVER}/octo/app/.github/workflows/build-release.yml@refs/heads/main`,
    ],
    [
      'any file from another branch (empty list)',
      identity('octo/app/.github/workflows/x.yml@refs/heads/evil'),
      undefined,
      `${SERVER}/octo/app/.github/workflows/<any file>@refs/heads/main`,
    ],
    [
      'a file the list does not name',
      identity('octo/app/.github/workflows/promote.yml@refs/heads/main'),
      [file('build-release.yml')],
      `${SERVER}/octo/app/.github/workflows/build-release.yml@refs/heads/main`,
    ],
    [
      'a listed file at another ref than the one pinned',
      identity('octo/app/.github/workflows/build-release.yml@refs/tags/v3'),
      [file('build-release.yml', 'refs/tags/v2')],
      `${SERVER}/octo/app/.github/workflows/build-release.yml@refs/tags/v2`,
    ],
    [
      'a file of the same name in another repository',
      identity('mallory/app/.github/workflows/build-release.yml@refs/heads/main'),
      [file('build-release.yml')],
      `${SERVER}/octo/app/.github/workflows/build-release.yml@refs/heads/main`,
    ],
    [
      'the builder at another ref',
      identity(`${BUILDER}@refs/heads/dev`),
      [{ repository: 'octo/build-release-run', path: '.github/workflows/build.yml', ref: 'refs/tags/v1.2.0' }],
      `${SERVER}/${BUILDER}@refs/tags/v1.2.0`,
    ],
    [
      'a file pinned to a commit, signed at another commit',
      identity(`octo/app/.github/workflows/b.yml@${OTHER_COMMIT}`, 'refs/heads/main', COMMIT),
      [file('b.yml', OTHER_COMMIT)],
      `${SERVER}/octo/app/.github/workflows/b.yml@${OTHER_COMMIT}`,
    ],
  ])('refuses %s, naming the signer and the input', (_name, id, signers, expected) => {
    const [first, ...rest] = checkIdentity(id, policy(signers));
    expect(rest).toEqual([]);
    expect(first).toEqual({
      claim: 'signer workflow (certificate SAN)',
      expected,
      actual: id.subjectAlternativeName,
      input: 'build-signer',
    });
  });

  it('refuses a certificate whose Build Signer URI is not its SAN', () => {
    const id = identity('octo/app/.github/workflows/build-release.yml@refs/heads/main');
    id.extensions.buildSignerUri = `${SERVER}/octo/app/.github/workflows/build-release.yml@refs/heads/evil`;
    expect(checkIdentity(id, policy([file('build-release.yml')]))).toEqual([
      {
        claim: 'build signer URI',
        expected: id.subjectAlternativeName,
        actual: id.extensions.buildSignerUri,
        input: 'build-signer',
      },
    ]);
  });

  it('still checks the run: its ref, repository and commit, whatever the signer rule', () => {
    const id = identity(`${BUILDER}@refs/tags/v1.2.0`, 'refs/heads/feature');
    id.extensions.sourceRepositoryDigest = OTHER_COMMIT;
    const rule = { repository: 'octo/build-release-run', path: '.github/workflows/build.yml', ref: 'refs/tags/v1.2.0' };
    expect(checkIdentity(id, policy([rule])).map((m) => m.claim)).toEqual([
      'source repository ref',
      'source repository commit',
    ]);
  });
});
