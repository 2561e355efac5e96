/**
 * The typed GitHub calls the actions make, one method each, all through
 * ApiClient (retries, error shape, counting). Nothing here imports
 * `@actions/*`: the action shell passes `getOctokit(token).request`.
 */
import { type AssetSource, downloadAsset, uploadAsset } from './assets.ts';
import { ApiClient, type ClientOptions } from './client.ts';
import { GitHubApiError } from './errors.ts';
import type {
  Deployment,
  DeploymentState,
  DeploymentStatus,
  GitRef,
  GitTag,
  GitHubResponse,
  Release,
  ReleaseAsset,
} from './types.ts';

/** GitHub refuses a deployment status description over 140 characters. */
export const MAX_STATUS_DESCRIPTION = 140;

export function truncateDescription(text: string, max = MAX_STATUS_DESCRIPTION): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export interface CreateReleaseParams {
  tag_name: string;
  target_commitish?: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  /** GitHub types it as a string: 'true' | 'false' | 'legacy'. */
  make_latest?: 'true' | 'false' | 'legacy';
}

export interface CreateDeploymentParams {
  ref: string;
  environment: string;
  task?: string;
  description?: string;
  payload?: Record<string, unknown>;
  transient_environment?: boolean;
  production_environment?: boolean;
}

export type CreateDeploymentResult =
  | { created: true; deployment: Deployment }
  /** 202: GitHub made no deployment (e.g. a merge was needed); message says why. */
  | { created: false; message: string };

export interface CreateStatusParams {
  state: DeploymentState;
  description?: string;
  environment?: string;
  environment_url?: string;
  log_url?: string;
  auto_inactive?: boolean;
}

export class GitHubApi {
  readonly client: ApiClient;

  constructor(options: ClientOptions) {
    this.client = new ApiClient(options);
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.client.requestCount;
  }

  // --- git refs -----------------------------------------------------------

  /**
   * Creates `refs/tags/<tag>` at `sha`. GitHub creates a ref atomically and
   * answers 422 "Reference already exists" to every other creator, so this
   * is how a release ID is claimed.
   */
  async createTagRef(tag: string, sha: string): Promise<'created' | 'exists'> {
    try {
      await this.client.call('POST /repos/{owner}/{repo}/git/refs', { ref: `refs/tags/${tag}`, sha });
      return 'created';
    } catch (error) {
      if (error instanceof GitHubApiError && error.status === 422 && /already exists/i.test(error.detail)) {
        return 'exists';
      }
      throw error;
    }
  }

  /** `ref` without the `refs/` prefix, e.g. `tags/v1`. */
  async getRef(ref: string): Promise<GitRef | null> {
    return this.#orNull(this.client.call<GitRef>('GET /repos/{owner}/{repo}/git/ref/{ref}', { ref }));
  }

  /** An annotated tag object (what `getRef` shows as type `tag`), to peel it. */
  async getTagObject(sha: string): Promise<GitTag> {
    return (await this.client.call<GitTag>('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', { tag_sha: sha })).data;
  }

  /** `ref` without the `refs/` prefix, e.g. `tags/v1`. */
  async deleteRef(ref: string): Promise<void> {
    await this.#ignoreNotFound(this.client.call('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ref }));
  }

  // --- releases -----------------------------------------------------------

  /** One page, newest first; drafts included when the token can push. */
  async listReleases(page = 1, perPage = 100): Promise<Release[]> {
    return (await this.client.call<Release[]>('GET /repos/{owner}/{repo}/releases', { per_page: perPage, page })).data;
  }

  async getRelease(id: number): Promise<Release | null> {
    return this.#orNull(
      this.client.call<Release>('GET /repos/{owner}/{repo}/releases/{release_id}', { release_id: id }),
    );
  }

  /** Published releases only: GitHub never returns a draft by tag. */
  async getReleaseByTag(tag: string): Promise<Release | null> {
    return this.#orNull(this.client.call<Release>('GET /repos/{owner}/{repo}/releases/tags/{tag}', { tag }));
  }

  async getLatestRelease(): Promise<Release | null> {
    return this.#orNull(this.client.call<Release>('GET /repos/{owner}/{repo}/releases/latest'));
  }

  /**
   * GitHub's generated name and notes for `tag` (the pull requests merged
   * since `previousTag`). Nothing is stored, so a retry is harmless.
   */
  async generateReleaseNotes(params: {
    tag_name: string;
    target_commitish?: string;
    previous_tag_name?: string;
  }): Promise<{ name: string; body: string }> {
    return (
      await this.client.call<{ name: string; body: string }>(
        'POST /repos/{owner}/{repo}/releases/generate-notes',
        params,
      )
    ).data;
  }

  /**
   * Creates a release. POST is not idempotent: before a retry, `reconcile`
   * (when given) looks for the release the lost response may have created.
   */
  async createRelease(params: CreateReleaseParams, reconcile?: () => Promise<Release | undefined>): Promise<Release> {
    const response = await this.client.call<Release>(
      'POST /repos/{owner}/{repo}/releases',
      { ...params },
      {
        beforeRetry: async () => {
          const found = await reconcile?.();
          return found ? { settled: { status: 201, url: '', headers: {}, data: found } } : undefined;
        },
      },
    );
    return response.data;
  }

  /** Edits a draft. Never call it on a published release: releases are immutable. */
  async updateDraft(id: number, params: Partial<CreateReleaseParams>): Promise<Release> {
    return (
      await this.client.call<Release>('PATCH /repos/{owner}/{repo}/releases/{release_id}', {
        release_id: id,
        ...params,
      })
    ).data;
  }

  /**
   * Publishes a draft. Before a retry the release is read back: if the lost
   * response had published it, it is not touched again.
   */
  async publishDraft(id: number, params: Pick<CreateReleaseParams, 'make_latest'> = {}): Promise<Release> {
    const response = await this.client.call<Release>(
      'PATCH /repos/{owner}/{repo}/releases/{release_id}',
      { release_id: id, draft: false, ...params },
      {
        beforeRetry: async () => {
          const current = await this.getRelease(id);
          return current && !current.draft ? { settled: this.#fake(current) } : undefined;
        },
      },
    );
    return response.data;
  }

  async deleteRelease(id: number): Promise<void> {
    await this.#ignoreNotFound(
      this.client.call('DELETE /repos/{owner}/{repo}/releases/{release_id}', { release_id: id }),
    );
  }

  // --- release assets -----------------------------------------------------

  async listReleaseAssets(releaseId: number): Promise<ReleaseAsset[]> {
    return (
      await this.client.call<ReleaseAsset[]>('GET /repos/{owner}/{repo}/releases/{release_id}/assets', {
        release_id: releaseId,
        per_page: 100,
      })
    ).data;
  }

  async deleteReleaseAsset(assetId: number): Promise<void> {
    await this.#ignoreNotFound(
      this.client.call('DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}', { asset_id: assetId }),
    );
  }

  /** Streams one asset to the release's `upload_url`; see assets.ts for the retry rules. */
  async uploadReleaseAsset(release: { id: number; upload_url: string }, source: AssetSource): Promise<ReleaseAsset> {
    return uploadAsset(
      this.client,
      release,
      source,
      () => this.listReleaseAssets(release.id),
      (id) => this.deleteReleaseAsset(id),
    );
  }

  /** Streams an asset's bytes to a file (following the 302); returns what was written. `name` labels progress lines. */
  async downloadReleaseAsset(
    assetId: number,
    destination: string,
    name?: string,
    maxBytes?: number,
  ): Promise<{ size: number; digest: string }> {
    return downloadAsset(this.client, assetId, destination, name, maxBytes);
  }

  // --- deployments --------------------------------------------------------

  /**
   * Creates a deployment with `auto_merge: false` (GitHub's default would
   * merge the default branch into the ref) and `required_contexts: []` (the
   * default requires every check to pass). A 202 means none was created.
   */
  async createDeployment(params: CreateDeploymentParams): Promise<CreateDeploymentResult> {
    const response = await this.client.call<Deployment | { message?: string }>(
      'POST /repos/{owner}/{repo}/deployments',
      { ...params, auto_merge: false, required_contexts: [] },
    );
    if (response.status === 202) {
      const message = (response.data as { message?: string }).message ?? 'GitHub accepted but did not create it';
      return { created: false, message };
    }
    return { created: true, deployment: response.data as Deployment };
  }

  /** The description is cut to GitHub's 140-character limit. */
  async createDeploymentStatus(deploymentId: number, params: CreateStatusParams): Promise<DeploymentStatus> {
    const { description, ...rest } = params;
    return (
      await this.client.call<DeploymentStatus>('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        deployment_id: deploymentId,
        ...rest,
        ...(description === undefined ? {} : { description: truncateDescription(description) }),
      })
    ).data;
  }

  async listDeployments(
    filters: { environment?: string; ref?: string; sha?: string; task?: string } = {},
    page = 1,
    perPage = 100,
  ): Promise<Deployment[]> {
    return (
      await this.client.call<Deployment[]>('GET /repos/{owner}/{repo}/deployments', {
        ...filters,
        per_page: perPage,
        page,
      })
    ).data;
  }

  async listDeploymentStatuses(deploymentId: number, page = 1, perPage = 100): Promise<DeploymentStatus[]> {
    return (
      await this.client.call<DeploymentStatus[]>('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        deployment_id: deploymentId,
        per_page: perPage,
        page,
      })
    ).data;
  }

  // --- helpers ------------------------------------------------------------

  #fake<T>(data: T): GitHubResponse<T> {
    return { status: 200, url: '', headers: {}, data };
  }

  async #orNull<T>(call: Promise<GitHubResponse<T>>): Promise<T | null> {
    try {
      return (await call).data;
    } catch (error) {
      if (error instanceof GitHubApiError && error.status === 404) return null;
      throw error;
    }
  }

  async #ignoreNotFound(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (!(error instanceof GitHubApiError && error.status === 404)) throw error;
    }
  }
}
