// Whose signature deploy accepts: a pure check of a certificate identity
// against the policy the deploy inputs make. Each mismatch names the claim
// and the input that would change the policy.
import type { CertificateIdentity, ExtensionName } from './certificate-identity.ts';

export interface ProvenancePolicy {
  /** e.g. https://github.com */
  serverUrl: string;
  /** owner/name */
  repository: string;
  /** The OIDC issuer of the workflow tokens (GitHub Actions'). */
  issuer: string;
  /** Workflow file paths (`.github/workflows/release.yml`); undefined accepts any workflow file of the repository. */
  signerWorkflows?: readonly string[];
  /** The ref the workflow ran on (`refs/heads/main`, `refs/tags/v1`). */
  sourceRef: string;
  /** When set, the commit the workflow ran on. */
  sourceCommit?: string;
}

export interface PolicyMismatch {
  claim: string;
  expected: string;
  actual: string;
  /** The deploy input that sets this part of the policy, if one does. */
  input?: string;
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

/** The SAN's workflow file and ref, when it is a workflow of this repository. */
export function signerWorkflowOf(
  san: string,
  serverUrl: string,
  repository: string,
): { path: string; ref: string } | undefined {
  const prefix = `${serverUrl}/${repository}/`;
  if (!san.startsWith(prefix)) return undefined;
  const rest = san.slice(prefix.length);
  const at = rest.indexOf('@');
  if (at < 0) return undefined;
  const path = rest.slice(0, at);
  if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return undefined;
  return { path, ref: rest.slice(at + 1) };
}

export function checkIdentity(identity: CertificateIdentity, policy: ProvenancePolicy): PolicyMismatch[] {
  const repositoryUrl = `${policy.serverUrl}/${policy.repository}`;
  const mismatches: PolicyMismatch[] = [
    ...extensionMismatch(identity, 'issuer', 'issuer (OIDC token issuer)', policy.issuer),
    ...extensionMismatch(identity, 'sourceRepositoryUri', 'source repository', repositoryUrl),
  ];
  const san = identity.subjectAlternativeName;
  const signer = signerWorkflowOf(san, policy.serverUrl, policy.repository);
  const allowed = policy.signerWorkflows;
  const expectedSigner = allowed
    ? allowed.map((file) => `${repositoryUrl}/${file}@<ref>`).join(' or ')
    : `${repositoryUrl}/.github/workflows/<file>@<ref>`;
  if (!signer || (allowed !== undefined && !allowed.includes(signer.path))) {
    mismatches.push({
      claim: 'signer workflow (certificate SAN)',
      expected: expectedSigner,
      actual: san || '(absent)',
      input: 'signer-workflow',
    });
  }
  // The build signer URI is the same workflow URL as the SAN for a workflow's own job.
  if (identity.extensions.buildSignerUri !== undefined && identity.extensions.buildSignerUri !== san) {
    mismatches.push({
      claim: 'build signer URI',
      expected: san,
      actual: identity.extensions.buildSignerUri,
      input: 'signer-workflow',
    });
  }
  mismatches.push(
    ...extensionMismatch(identity, 'sourceRepositoryRef', 'source repository ref', policy.sourceRef, 'source-ref'),
  );
  if (policy.sourceCommit !== undefined) {
    mismatches.push(
      ...extensionMismatch(identity, 'sourceRepositoryDigest', 'source repository commit', policy.sourceCommit),
    );
  }
  return mismatches;
}
