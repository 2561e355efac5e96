/**
 * The shapes this gateway reads from GitHub's REST API: only the fields the
 * actions use, named as GitHub names them.
 */

export interface GitHubResponse<T = unknown> {
  status: number;
  url: string;
  headers: Record<string, string | number | undefined>;
  data: T;
}

/**
 * An Octokit-style request function: `request('GET /repos/{owner}/{repo}', params)`.
 * The action shell passes `getOctokit(token).request`; tests may pass the same
 * against the local server. It throws on statuses >= 400 with an error that
 * carries `status` and `response`, as `@octokit/request` does.
 */
export type GitHubRequest = (route: string, parameters?: Record<string, unknown>) => Promise<GitHubResponse<unknown>>;

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** `uploaded`, or `starter` while (or after a failed) upload. */
  state: string;
  content_type: string;
  /** `sha256:<hex>` as GitHub computed it; may be null. */
  digest?: string | null;
  browser_download_url: string;
  url: string;
}

export interface Release {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
  /** GitHub locked its tag and assets at publish (immutable releases). Absent on older servers. */
  immutable?: boolean;
  html_url: string;
  upload_url: string;
  created_at: string;
  published_at: string | null;
  assets: ReleaseAsset[];
}

export interface GitRef {
  ref: string;
  object: { sha: string; type: string };
}

/** An annotated tag object: what it points at. */
export interface GitTag {
  sha: string;
  tag: string;
  object: { sha: string; type: string };
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  created_at: string;
  statuses_url: string;
}

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatus {
  id: number;
  state: DeploymentState;
  description: string | null;
  environment?: string;
  environment_url?: string;
  log_url?: string;
  created_at: string;
}
