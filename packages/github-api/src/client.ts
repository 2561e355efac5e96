/**
 * The one place a GitHub request is made: retries by the policy in retry.ts,
 * turns whatever was thrown into a GitHubApiError, and counts requests (the
 * bench reports the count).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { GitHubApiError, describeThrown } from './errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, decideRetry } from './retry.ts';
import type { GitHubRequest, GitHubResponse } from './types.ts';

export interface ClientOptions {
  request: GitHubRequest;
  /** `owner/name`. */
  repository: string;
  retry?: Partial<RetryPolicy>;
  /** Where retry notices go (the action passes core.info). */
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Progress of asset uploads and downloads: called with a label
   * (`Uploading app.tar.zst`) once per attempt, it returns the callback told
   * the bytes sent or received. The action decides where the lines go.
   */
  transferProgress?: (label: string) => (done: number, total: number) => void;
}

export interface CallOptions {
  /** Runs after a failed attempt, before the next. May settle the call (return a value) or clean up. */
  beforeRetry?: (failure: GitHubApiError) => Promise<{ settled: GitHubResponse<unknown> } | undefined>;
}

export class ApiClient {
  readonly owner: string;
  readonly repo: string;
  readonly policy: RetryPolicy;
  readonly transferProgress: ((label: string) => (done: number, total: number) => void) | undefined;
  /** HTTP requests sent, retries included. */
  requestCount = 0;
  readonly #request: GitHubRequest;
  readonly #log: (message: string) => void;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(options: ClientOptions) {
    const [owner, repo, ...rest] = options.repository.split('/');
    if (!owner || !repo || rest.length > 0) throw new Error(`repository must be owner/name, got ${options.repository}`);
    this.owner = owner;
    this.repo = repo;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#request = options.request;
    this.#log = options.log ?? (() => undefined);
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#random = options.random ?? Math.random;
    this.transferProgress = options.transferProgress;
  }

  /** One attempt, no retries: for callers that run their own loop (streamed bodies). */
  async once<T>(route: string, parameters: Record<string, unknown> = {}): Promise<GitHubResponse<T>> {
    this.requestCount++;
    try {
      return (await this.#request(route, { owner: this.owner, repo: this.repo, ...parameters })) as GitHubResponse<T>;
    } catch (error) {
      const { status, message, codes } = describeThrown(error);
      throw new GitHubApiError(route, status, message, codes, error);
    }
  }

  /**
   * Waits as the policy says after `attempt` failed. Throws when the failure is
   * final, saying so when it was retried and the retries ran out.
   */
  async pauseBeforeRetry(failure: GitHubApiError, attempt: number, route: string): Promise<void> {
    const described = describeThrown(failure.cause);
    const decision = decideRetry(
      {
        status: failure.status,
        headers: described.headers,
        message: described.message,
        network: described.network,
      },
      attempt,
      this.policy,
      Date.now(),
      this.#random(),
    );
    if (!decision.retry) {
      if (attempt === 1) throw failure;
      const message = `${failure.detail} (gave up after ${attempt} attempts)`;
      throw new GitHubApiError(failure.route, failure.status, message, failure.codes, failure.cause);
    }
    this.#log(`${route}: ${decision.reason}; retrying in ${decision.delayMs} ms (attempt ${attempt + 1})`);
    await this.#sleep(decision.delayMs);
  }

  async call<T>(
    route: string,
    parameters: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<GitHubResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(route, parameters);
      } catch (error) {
        if (!(error instanceof GitHubApiError)) throw error;
        await this.pauseBeforeRetry(error, attempt, route);
        const settled = await options.beforeRetry?.(error);
        if (settled) return settled.settled as GitHubResponse<T>;
      }
    }
  }
}
