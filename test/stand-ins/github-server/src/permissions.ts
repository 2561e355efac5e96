/**
 * What each operation this server serves needs of an installation token
 * (a job's GITHUB_TOKEN), in one table, and the answer when the token lacks
 * it.
 *
 * Source of the table: GitHub's "Permissions required for GitHub Apps"
 * (docs.github.com/en/rest/authentication/permissions-required-for-github-apps),
 * generated from the data file of GitHub's docs repository
 * `src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json`
 * (GitHub's OpenAPI description has no per-endpoint permissions: its
 * `x-github` data names none, and only the attestation endpoints say theirs
 * in prose). Two operations are not in that file and are marked: the
 * upload of a release asset (served on uploads.github.com; Contents: write,
 * as every other release write) and the immutable-releases check (its
 * description: "The authenticated user must have admin read access", the
 * Administration permission, which no GITHUB_TOKEN can be given).
 *
 * The answers, as GitHub gives them to an installation token:
 * - the permission is missing or too low: 403 "Resource not accessible by
 *   integration", with `x-accepted-github-permissions` naming what the
 *   operation accepts;
 * - but a read of a public repository needs no permission (the docs: "These
 *   permissions are required to access private resources"; a public
 *   repository's releases, deployments and attestations are public);
 * - another repository than the token's: hidden (404) when it is private
 *   or internal; a public one may be read, never written;
 * - drafts are shown only to tokens that may push (Contents: write).
 */
import type { Access, Caller, Visibility } from './auth.ts';
import { ApiError, notFound } from './http.ts';
import type { MatchedOperation } from './openapi/validator.ts';

/** An operation needs one of `anyOf` at `access` (write includes read). */
export interface Requirement {
  anyOf: readonly string[];
  access: Access;
  /** A repository setting, not a public resource: a public repository's reads still need the permission. */
  setting?: true;
}

const contents = (access: Access): Requirement => ({ anyOf: ['contents'], access });
const deployments = (access: Access): Requirement => ({ anyOf: ['deployments'], access });

/** By GitHub's operationId; every operation of API_ROUTES has one (a test checks). */
export const OPERATION_PERMISSIONS: Readonly<Record<string, Requirement>> = {
  'git/get-ref': contents('read'),
  'git/list-matching-refs': contents('read'),
  'git/create-ref': contents('write'),
  'git/update-ref': contents('write'),
  'git/delete-ref': contents('write'),
  'git/get-tag': contents('read'),
  'repos/list-releases': contents('read'),
  'repos/create-release': contents('write'),
  'repos/get-release': contents('read'),
  'repos/update-release': contents('write'),
  'repos/delete-release': contents('write'),
  'repos/get-latest-release': contents('read'),
  'repos/get-release-by-tag': contents('read'),
  // Write, though it creates nothing (GitHub's table says so).
  'repos/generate-release-notes': contents('write'),
  'repos/list-release-assets': contents('read'),
  'repos/get-release-asset': contents('read'),
  'repos/update-release-asset': contents('write'),
  'repos/delete-release-asset': contents('write'),
  // Not in the data file (uploads.github.com): a release write like the others.
  'repos/upload-release-asset': contents('write'),
  'repos/list-deployments': deployments('read'),
  'repos/create-deployment': deployments('write'),
  'repos/get-deployment': deployments('read'),
  'repos/delete-deployment': deployments('write'),
  'repos/list-deployment-statuses': deployments('read'),
  'repos/create-deployment-status': deployments('write'),
  'repos/get-deployment-status': deployments('read'),
  // Listed under Issues with "additional permissions": Pull requests works as well.
  'issues/create-label': { anyOf: ['issues', 'pull_requests'], access: 'write' },
  'repos/create-attestation': { anyOf: ['attestations'], access: 'write' },
  'repos/list-attestations': { anyOf: ['attestations'], access: 'read' },
  // Not in the data file: "The authenticated user must have admin read
  // access" (Administration), which a job's GITHUB_TOKEN is never given.
  'repos/check-immutable-releases': { anyOf: ['administration'], access: 'read', setting: true },
};

/** What the handler is told about the caller. */
export interface Authorization {
  /** GitHub shows drafts only to callers that may push. */
  canPush: boolean;
  /** Headers every answer to this caller carries. */
  headers: Record<string, string>;
}

function allows(granted: Access | undefined, needed: Access): boolean {
  return granted === 'write' || (granted === 'read' && needed === 'read');
}

function notAccessible(op: MatchedOperation, headers: Record<string, string>): ApiError {
  return new ApiError(
    403,
    { message: 'Resource not accessible by integration', documentation_url: op.documentationUrl, status: '403' },
    headers,
  );
}

/** `contents=write`, or `issues=write; pull_requests=write` when any one will do. */
export function acceptedPermissions(requirement: Requirement): string {
  return requirement.anyOf.map((name) => `${name}=${requirement.access}`).join('; ');
}

/** The repository's answer to this caller for this operation: what it may see, or the refusal. */
export function authorize(
  caller: Caller,
  method: string,
  op: MatchedOperation,
  repository: { fullName: string; visibility: Visibility },
): Authorization {
  const write = method !== 'GET' && method !== 'HEAD';
  const { grant } = caller;
  if (grant.kind === 'person') {
    // A read-only token may read (GET, HEAD) and nothing else.
    if (grant.access === 'read' && write) throw notAccessible(op, {});
    return { canPush: grant.access === 'write', headers: {} };
  }
  const requirement = OPERATION_PERMISSIONS[op.operationId];
  const headers: Record<string, string> = requirement
    ? { 'x-accepted-github-permissions': acceptedPermissions(requirement) }
    : {};
  const own = grant.repository.toLowerCase() === repository.fullName.toLowerCase();
  const isPublic = repository.visibility === 'public';
  if (!own && !isPublic) throw notFound(op.documentationUrl);
  const permitted =
    own &&
    requirement !== undefined &&
    requirement.anyOf.some((name) => allows(grant.permissions[name], requirement.access));
  const publicRead = isPublic && !write && requirement?.access === 'read' && requirement.setting !== true;
  if (!permitted && !publicRead) throw notAccessible(op, headers);
  return { canPush: own && grant.permissions['contents'] === 'write', headers };
}
