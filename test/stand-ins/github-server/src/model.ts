import type { GitRepository } from './git.ts';
import { Mutex } from './http.ts';

export type AssetState = 'starter' | 'uploaded';

export interface Release {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** Asset ids in upload order. */
  assetIds: number[];
}

export interface Asset {
  id: number;
  /** `owner/name` of the repository it belongs to. */
  repo: string;
  releaseId: number;
  name: string;
  label: string | null;
  contentType: string;
  state: AssetState;
  size: number;
  /** `sha256:<hex>` of the bytes as uploaded; null until the upload completes. */
  digest: string | null;
  downloadCount: number;
  createdAt: string;
  updatedAt: string;
  /** Where the bytes are stored. */
  file: string;
}

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatus {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  originalEnvironment: string;
  environment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatus[];
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** Everything the server holds about one served repository. */
export class RepositoryState {
  readonly owner: string;
  readonly name: string;
  readonly git: GitRepository;
  immutableReleases: boolean;
  readonly releases = new Map<number, Release>();
  readonly deployments = new Map<number, Deployment>();
  readonly labels = new Map<string, Label>();
  /** Tags once used by a published immutable release: GitHub never lets them be reused. */
  readonly immutableTags = new Set<string>();
  /** The release `make_latest` pointed at, if any. */
  latestReleaseId: number | undefined;
  /** Release create/update/delete and asset bookkeeping run one at a time per repository. */
  readonly lock = new Mutex();

  constructor(owner: string, name: string, git: GitRepository, immutableReleases: boolean) {
    this.owner = owner;
    this.name = name;
    this.git = git;
    this.immutableReleases = immutableReleases;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }
}

/** Ids unique across the server, like GitHub's. */
export class IdSequence {
  #next: number;

  constructor(start = 1) {
    this.#next = start;
  }

  next(): number {
    return this.#next++;
  }

  /** The id the next call to next() returns. */
  peek(): number {
    return this.#next;
  }
}
