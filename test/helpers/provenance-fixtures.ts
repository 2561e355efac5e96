import { type Claims, type OidcIssuer } from '@build-release-run/sigstore-server';

export const REPOSITORY = 'octo/shop';
export const SERVER_URL = 'https://github.com';
export const COMMIT = 'a'.repeat(40);

/**
 * GitHub's claim set for a job of `workflowFile` on `ref` in octo/shop.
 * `jobWorkflow` (`owner/repo/.github/workflows/x.yml@ref`) makes it a job of
 * a called workflow: another file, or the same file at another ref, than the
 * run's own (what the certificate's SAN and Build Signer URI then name).
 */
export function githubClaims(
  overrides: {
    workflowFile?: string;
    ref?: string;
    repository?: string;
    sha?: string;
    jobWorkflow?: string;
    jobWorkflowSha?: string;
  } = {},
): Claims {
  const repository = overrides.repository ?? REPOSITORY;
  const ref = overrides.ref ?? 'refs/heads/main';
  const workflowRef = `${repository}/${overrides.workflowFile ?? '.github/workflows/pipeline.yml'}@${ref}`;
  const sha = overrides.sha ?? COMMIT;
  return {
    sub: `repo:${repository}:ref:${ref}`,
    repository,
    repository_id: '42',
    repository_owner: repository.split('/')[0]!,
    repository_owner_id: '7',
    repository_visibility: 'public',
    workflow: 'pipeline',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: overrides.jobWorkflow ?? workflowRef,
    job_workflow_sha: overrides.jobWorkflowSha ?? sha,
    ref,
    ref_type: 'branch',
    sha,
    run_id: '1001',
    run_number: '3',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    event_name: 'push',
  };
}

export function tokenFor(issuer: OidcIssuer, claims: Claims): () => Promise<string> {
  return () => Promise.resolve(issuer.issue(claims, 'sigstore'));
}
