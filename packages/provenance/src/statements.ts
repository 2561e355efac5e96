// In-toto statements: SLSA build provenance v1 in the GitHub Actions
// workflow build type (what actions/attest-build-provenance writes), and our
// own release predicate. Pure: the claims and facts come in, JSON goes out.
import { type Digest, digestHex } from '@build-release-run/contract';
import type { WorkflowClaims } from './id-token.ts';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const SLSA_PROVENANCE_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1';
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';
/** Our release predicate; its fields are documented in docs/security.md ("The release predicate"). */
export const RELEASE_PREDICATE_TYPE =
  'https://github.com/build-release-run/build-release-run/blob/v1/docs/security.md#the-release-predicate';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface Statement {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: Subject[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

export function subjectFor(name: string, digest: Digest): Subject {
  return { name, digest: { sha256: digestHex(digest) } };
}

/** The workflow file's path in its repository, from `owner/repo/.github/workflows/x.yml@ref`. */
export function workflowPath(claims: Pick<WorkflowClaims, 'workflow_ref' | 'repository'>): string {
  const withoutRepo = claims.workflow_ref.startsWith(`${claims.repository}/`)
    ? claims.workflow_ref.slice(claims.repository.length + 1)
    : claims.workflow_ref;
  const at = withoutRepo.lastIndexOf('@');
  return at < 0 ? withoutRepo : withoutRepo.slice(0, at);
}

export function buildProvenanceStatement(subject: Subject, claims: WorkflowClaims, serverUrl: string): Statement {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [subject],
    predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: {
          workflow: { ref: claims.ref, repository: `${serverUrl}/${claims.repository}`, path: workflowPath(claims) },
        },
        internalParameters: {
          github: {
            event_name: claims.event_name,
            repository_id: claims.repository_id,
            repository_owner_id: claims.repository_owner_id,
            runner_environment: claims.runner_environment,
          },
        },
        resolvedDependencies: [
          { uri: `git+${serverUrl}/${claims.repository}@${claims.ref}`, digest: { gitCommit: claims.sha } },
        ],
      },
      runDetails: {
        builder: { id: `${serverUrl}/${claims.job_workflow_ref}` },
        metadata: {
          invocationId: `${serverUrl}/${claims.repository}/actions/runs/${claims.run_id}/attempts/${claims.run_attempt}`,
        },
      },
    },
  };
}

/** What a release asserts, signed by the release workflow. */
export interface ReleaseFacts {
  tag: string;
  environment: string;
  commit: string;
  build: Digest;
  config: Digest;
  /** The previous release of the same environment, or null for the first. */
  previous: string | null;
}

export function releaseStatement(subject: Subject, facts: ReleaseFacts): Statement {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [subject],
    predicateType: RELEASE_PREDICATE_TYPE,
    predicate: {
      tag: facts.tag,
      environment: facts.environment,
      commit: facts.commit,
      build: { digest: facts.build },
      config: { digest: facts.config },
      previous: facts.previous,
    },
  };
}
