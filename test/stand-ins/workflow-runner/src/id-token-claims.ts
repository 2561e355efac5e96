// The claims GitHub Actions puts in a job's OIDC token
// (docs: "About security hardening with OpenID Connect", the example token):
// who (repository, owner, actor), what (workflow, job_workflow_ref), where
// (ref, sha, environment, runner_environment) and which run.
import type { Claims } from '@build-release-run/sigstore-server';

export interface JobIdentity {
  repository: string;
  repositoryId: string;
  repositoryOwnerId: string;
  visibility: string;
  actor: string;
  ref: string;
  sha: string;
  /** `owner/repo/.github/workflows/file.yml@ref`: the workflow of the run. */
  workflowRef: string;
  /** The workflow file the job is written in: the run's, or the reusable workflow it called. */
  jobWorkflowRef: string;
  jobWorkflowSha: string;
  workflowName: string;
  eventName: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  runnerEnvironment: string;
  environment?: string;
}

/** The token's subject, as GitHub forms it: the environment when the job has one, else the ref. */
export function tokenSubject(identity: Pick<JobIdentity, 'repository' | 'ref' | 'environment' | 'eventName'>): string {
  if (identity.environment) return `repo:${identity.repository}:environment:${identity.environment}`;
  if (identity.eventName === 'pull_request') return `repo:${identity.repository}:pull_request`;
  return `repo:${identity.repository}:ref:${identity.ref}`;
}

export function jobTokenClaims(identity: JobIdentity): Claims {
  const owner = identity.repository.split('/')[0] ?? '';
  return {
    sub: tokenSubject(identity),
    ref: identity.ref,
    sha: identity.sha,
    repository: identity.repository,
    repository_owner: owner,
    repository_owner_id: identity.repositoryOwnerId,
    repository_id: identity.repositoryId,
    repository_visibility: identity.visibility,
    run_id: identity.runId,
    run_number: identity.runNumber,
    run_attempt: identity.runAttempt,
    actor: identity.actor,
    actor_id: '1',
    workflow: identity.workflowName,
    head_ref: '',
    base_ref: '',
    event_name: identity.eventName,
    ref_protected: 'false',
    ref_type: identity.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    // The run's workflow, and the file the job is written in: the same file
    // unless the job is one of a called reusable workflow.
    workflow_ref: identity.workflowRef,
    workflow_sha: identity.sha,
    job_workflow_ref: identity.jobWorkflowRef,
    job_workflow_sha: identity.jobWorkflowSha,
    runner_environment: identity.runnerEnvironment,
    ...(identity.environment ? { environment: identity.environment } : {}),
  };
}
