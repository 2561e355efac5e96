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
  /**
   * Instead of `ref`: any version tag of this major (`refs/tags/v1`,
   * `v1.2`, `v1.2.3`), as a builder called at its major tag or a release of it.
   */
  versionMajor?: number;
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
  /**
   * Set when the release says a reusable build workflow made the build
   * (release.json `build.builder`, SLSA Build L3): `signers` are then the
   * builders trusted, the certificate must name the claimed builder, and the
   * workflow that called it (the certificate's Build Config URI, the token's
   * `workflow_ref`) must be one `callers` allows.
   */
  builder?: {
    /** release.json's build.builder, `owner/repo/.github/workflows/<file>@<ref>`. */
    claimed: string;
    /** The caller allow-list ('build-signer'); undefined: any workflow file of this repository on `sourceRef`. */
    callers?: readonly SignerRule[];
    /** The input that lists `callers`. */
    callerInput: string;
  };
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
  const ref =
    rule.versionMajor === undefined
      ? (rule.ref ?? policy.sourceRef)
      : `refs/tags/v${rule.versionMajor} (or v${rule.versionMajor}.x, v${rule.versionMajor}.x.y)`;
  return `${policy.serverUrl}/${rule.repository ?? policy.repository}/${rule.path}@${ref}`;
}

/** `refs/tags/v1`, `refs/tags/v1.2`, `refs/tags/v1.2.3` for major 1. */
function isVersionTagOf(ref: string, major: number): boolean {
  const match = /^refs\/tags\/v(0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*)){0,2}$/.exec(ref);
  return match !== null && Number(match[1]) === major;
}

function ruleAccepts(
  rule: SignerRule,
  workflow: SigningWorkflow,
  identity: CertificateIdentity,
  policy: ProvenancePolicy,
): boolean {
  if ((rule.repository ?? policy.repository) !== workflow.repository || rule.path !== workflow.path) return false;
  if (rule.versionMajor !== undefined) return isVersionTagOf(workflow.ref, rule.versionMajor);
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

/**
 * A build that claims a builder: the certificate names that builder (it
 * signed, not the caller's own job or the release job), and the workflow that
 * called it is one the caller allow-list accepts.
 */
function builderMismatch(identity: CertificateIdentity, policy: ProvenancePolicy): PolicyMismatch[] {
  const builder = policy.builder;
  if (builder === undefined) return [];
  const claimed = `${policy.serverUrl}/${builder.claimed}`;
  const san = identity.subjectAlternativeName || '(absent)';
  if (san !== claimed) {
    return [
      {
        claim: 'builder release.json claims (build.builder; the build must be signed by that reusable workflow)',
        expected: claimed,
        actual: san,
      },
    ];
  }
  const caller = identity.extensions.buildConfigUri;
  const workflow = caller === undefined ? undefined : signingWorkflowOf(caller, policy.serverUrl);
  const accepted =
    workflow !== undefined &&
    (builder.callers === undefined
      ? workflow.repository === policy.repository && workflow.ref === policy.sourceRef
      : builder.callers.some(
          (rule) =>
            (rule.repository ?? policy.repository) === workflow.repository &&
            rule.path === workflow.path &&
            workflow.ref === (rule.ref ?? policy.sourceRef),
        ));
  if (accepted) return [];
  const expected =
    builder.callers === undefined
      ? `${policy.serverUrl}/${policy.repository}/.github/workflows/<any file>@${policy.sourceRef}`
      : builder.callers.map((rule) => ruleUri(rule, policy)).join(' or ');
  return [
    {
      claim: 'workflow that called the builder (certificate Build Config URI)',
      expected,
      actual: caller ?? '(absent)',
      input: builder.callerInput,
    },
  ];
}

export function checkIdentity(identity: CertificateIdentity, policy: ProvenancePolicy): PolicyMismatch[] {
  return [
    // What the release claims first: a release that says a builder made it and was signed otherwise is named as such.
    ...builderMismatch(identity, policy),
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
