/**
 * The operations of GitHub's REST API this server implements, by the
 * operationId GitHub's OpenAPI description gives them. The committed subset of
 * the description holds exactly these operations and what they reference.
 */
export const IMPLEMENTED_OPERATIONS = [
  'git/create-ref',
  'git/get-ref',
  'git/list-matching-refs',
  'git/update-ref',
  'git/delete-ref',
  'repos/create-release',
  'repos/get-release',
  'repos/get-release-by-tag',
  'repos/get-latest-release',
  'repos/list-releases',
  'repos/update-release',
  'repos/delete-release',
  'repos/upload-release-asset',
  'repos/list-release-assets',
  'repos/get-release-asset',
  'repos/update-release-asset',
  'repos/delete-release-asset',
  'repos/create-deployment',
  'repos/list-deployments',
  'repos/get-deployment',
  'repos/delete-deployment',
  'repos/create-deployment-status',
  'repos/list-deployment-statuses',
  'repos/get-deployment-status',
  'repos/create-attestation',
  'repos/list-attestations',
  // Only so the recorded `errors` scenario of @octokit/fixtures can be replayed.
  'issues/create-label',
] as const;

export type OperationId = (typeof IMPLEMENTED_OPERATIONS)[number];
