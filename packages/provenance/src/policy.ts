// Whose signature is accepted: a pure check of a certificate identity
// against one claim's policy (the build's or the release's). The policy is an
// allow-list the workflow writes (inputs 'build-signer', 'release-signer'):
// each entry is a workflow file, in a repository, at a ref, compared with the
// certificate's SAN and Build Signer URI (the token's `job_workflow_ref`), so
// a run of `main` that calls a workflow file from another branch signs as
// that branch and is refused. Each mismatch names the claim and the input
// that would change the policy.
import type { CertificateIdentity, ExtensionName } from './certificate-identity.ts';

/**
 * One entry of a signer allow-list. A reusable workflow of another
 * repository (a builder, SLSA Build L3) is one more entry, with its
 * repository and the exact ref it is called at.
 */
export interface SignerRule {
  /** owner/name of the workflow file's repository; undefined: this repository. */
  repository?: string;
  /** `.github/workflows/<file>` */
  path: string;
  /** The exact ref (`refs/tags/v2`) or commit the file is run at; undefined: the policy's source ref. */
  ref?: string;
}

export interface ProvenancePolicy {
  /** e.g. https://github.com */
  serverUrl: string;
  /** owner/name */
  repository: string;
  /** The OIDC issuer of the workflow tokens (GitHub Actions'). */
  issuer: string;
  /** The workflows whose signature this claim accepts; undefined: any workflow file of this repository on `sourceRef`. */
  signers?: readonly SignerRule[];
  /** The input that lists `signers`, named in refusals (e.g. 'build-signer'). */
  signerInput?: string;
  /** The ref the run was on (`refs/heads/main`, `refs/tags/v1`): the certificate's Source Repository Ref. */
  sourceRef: string;
  /** When set, the commit the run built: the certificate's Source Repository Digest. */
  sourceCommit?: string;
}

export interface PolicyMismatch {
  claim: string;
  expected: string;
  actual: string;
  /** The input that sets this part of the policy, if one does. */
  input?: string;
}

/** A workflow file named by a certificate: `<server>/<owner>/<name>/.github/workflows/<file>@<ref>`. */
export interface SigningWorkflow {
  repository: string;
  path: string;
  ref: string;
}

const WORKFLOW_URI = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\/(\.github\/workflows\/[^/@]+\.ya?ml)@(.+)$/;

/** The workflow a certificate's SAN names, when it is a workflow URL on this server. */
export function signingWorkflowOf(san: string, serverUrl: string): SigningWorkflow | undefined {
  const prefix = `${serverUrl}/`;
  if (!san.startsWith(prefix)) return undefined;
  const match = WORKFLOW_URI.exec(san.slice(prefix.length));
  if (match === null) return undefined;
  const [, repository, path, ref] = match as unknown as [string, string, string, string];
  return { repository, path, ref };
}

/** The SAN's workflow file and ref, when it is a workflow of `repository`. */
export function signerWorkflowOf(
  san: string,
  serverUrl: string,
  repository: string,
): { path: string; ref: string } | undefined {
  const workflow = signingWorkflowOf(san, serverUrl);
  return workflow?.repository === repository ? { path: workflow.path, ref: workflow.ref } : undefined;
}

const FULL_COMMIT = /^[0-9a-f]{40}$/;

/** The workflow URL a rule accepts, as the certificate would write it. */
export function ruleUri(
  rule: SignerRule,
  policy: Pick<ProvenancePolicy, 'serverUrl' | 'repository' | 'sourceRef'>,
): string {
  return `${policy.serverUrl}/${rule.repository ?? policy.repository}/${rule.path}@${rule.ref ?? policy.sourceRef}`;
}

function ruleAccepts(
  rule: SignerRule,
  workflow: SigningWorkflow,
  identity: CertificateIdentity,
  policy: ProvenancePolicy,
): boolean {
  if ((rule.repository ?? policy.repository) !== workflow.repository || rule.path !== workflow.path) return false;
  if (workflow.ref !== (rule.ref ?? policy.sourceRef)) return false;
  // Pinned to a commit: the certificate's Build Signer Digest (`job_workflow_sha`) must be that commit.
  return rule.ref === undefined || !FULL_COMMIT.test(rule.ref) || identity.extensions.buildSignerDigest === rule.ref;
}

function extensionMismatch(
  identity: CertificateIdentity,
  name: ExtensionName,
  claim: string,
  expected: string,
  input?: string,
): PolicyMismatch[] {
  const actual = identity.extensions[name] ?? '(absent)';
  return actual === expected ? [] : [{ claim, expected, actual, ...(input ? { input } : {}) }];
}

function signerMismatch(identity: CertificateIdentity, policy: ProvenancePolicy): PolicyMismatch[] {
  const san = identity.subjectAlternativeName;
  const input = policy.signerInput ?? 'build-signer';
  const workflow = signingWorkflowOf(san, policy.serverUrl);
  const accepted =
    workflow !== undefined &&
    (policy.signers === undefined
      ? workflow.repository === policy.repository && workflow.ref === policy.sourceRef
      : policy.signers.some((rule) => ruleAccepts(rule, workflow, identity, policy)));
  // For a workflow's own job and for a called reusable workflow alike, Fulcio writes
  // `job_workflow_ref` into both the SAN and the Build Signer URI: they must agree.
  const signerUri = identity.extensions.buildSignerUri;
  const mismatches: PolicyMismatch[] = [];
  if (!accepted) {
    const expected =
      policy.signers === undefined
        ? `${policy.serverUrl}/${policy.repository}/.github/workflows/<any file>@${policy.sourceRef}`
        : policy.signers.map((rule) => ruleUri(rule, policy)).join(' or ');
    mismatches.push({ claim: 'signer workflow (certificate SAN)', expected, actual: san || '(absent)', input });
  }
  if (signerUri !== san) {
    mismatches.push({ claim: 'build signer URI', expected: san, actual: signerUri ?? '(absent)', input });
  }
  return mismatches;
}

export function checkIdentity(identity: CertificateIdentity, policy: ProvenancePolicy): PolicyMismatch[] {
  return [
    ...extensionMismatch(identity, 'issuer', 'issuer (OIDC token issuer)', policy.issuer),
    ...extensionMismatch(
      identity,
      'sourceRepositoryUri',
      'source repository',
      `${policy.serverUrl}/${policy.repository}`,
    ),
    // The run's ref first: a run on another ref signs with a workflow of that ref too.
    ...extensionMismatch(identity, 'sourceRepositoryRef', 'source repository ref', policy.sourceRef, 'source-ref'),
    ...signerMismatch(identity, policy),
    ...(policy.sourceCommit === undefined
      ? []
      : extensionMismatch(identity, 'sourceRepositoryDigest', 'source repository commit', policy.sourceCommit)),
  ];
}
