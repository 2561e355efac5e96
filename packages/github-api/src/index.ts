export {
  GitHubApi,
  type CreateDeploymentParams,
  type CreateDeploymentResult,
  type CreateReleaseParams,
  type CreateStatusParams,
  MAX_STATUS_DESCRIPTION,
  truncateDescription,
} from './gateway.ts';
export { peeledTag } from './tags.ts';
export { ApiClient, type CallOptions, type ClientOptions } from './client.ts';
export { AssetTooLargeError, type AssetSource, assetUploadUrl } from './assets.ts';
export { GitHubApiError, describeThrown, explainTokenError, hintFor, isPermissionError } from './errors.ts';
export {
  DEFAULT_RETRY_POLICY,
  type FailedAttempt,
  type RetryDecision,
  type RetryPolicy,
  decideRetry,
} from './retry.ts';
export type {
  Deployment,
  DeploymentState,
  DeploymentStatus,
  GitHubRequest,
  GitHubResponse,
  GitRef,
  GitTag,
  Release,
  ReleaseAsset,
} from './types.ts';
export { Deadline, DeadlinePassedError, mayRunAfterDeadline } from './deadline.ts';
export { DEFAULT_TIMEOUTS, MAX_REDIRECTS, type Timeouts, Transport, type TransportOptions } from './transport.ts';
