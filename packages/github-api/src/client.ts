/**
 * The one place a GitHub request is made: retries by the policy in retry.ts,
 * turns whatever was thrown into a GitHubApiError, and counts requests (the
 * bench reports the count). Every request goes through the transport
 * (connect and idle timeouts, the environment's proxy) and stops at the
 * action's deadline.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type Deadline, DeadlinePassedError, mayRunAfterDeadline } from './deadline.ts';
import { GitHubApiError, describeThrown } from './errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, decideRetry } from './retry.ts';
import { Transport, type TransportOptions } from './transport.ts';
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
  /** Timeouts and proxy of every request (default: DEFAULT_TIMEOUTS, direct). */
  transport?: TransportOptions;
  /** The action's overall deadline: aborts the request in flight and any retry wait. */
  deadline?: Deadline;
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
  readonly transport: Transport;
  readonly deadline: Deadline | undefined;
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
    // The default wait ends with the deadline too, so no timer outlives the action.
    this.#sleep = options.sleep ?? ((ms) => delay(ms, undefined, { signal: options.deadline?.signal }));
    this.#random = options.random ?? Math.random;
    this.transferProgress = options.transferProgress;
    this.transport = new Transport(options.transport);
    this.deadline = options.deadline;
  }

  /**
   * One attempt, no retries: for callers that run their own loop (streamed
   * bodies). `parameters.request.fetch` may name the transport's
   * streamingFetch; the default is its apiFetch.
   */
  async once<T>(route: string, parameters: Record<string, unknown> = {}): Promise<GitHubResponse<T>> {
    const deadline = this.deadline;
    const late = deadline?.passed === true;
    if (late && !mayRunAfterDeadline(route, parameters)) throw new DeadlinePassedError(deadline);
    const given = parameters['request'] as Record<string, unknown> | undefined;
    const request = {
      fetch: this.transport.apiFetch,
      ...given,
      // After the deadline, clean-up runs until the grace ends.
      ...(deadline ? { signal: late ? deadline.graceSignal : deadline.signal } : {}),
    };
    const line = route.includes('://') ? route.replace(/\?.*$/, '') : route;
    if (deadline && !late) deadline.waitingFor = line;
    this.requestCount++;
    try {
      const response = (await this.#request(route, {
        owner: this.owner,
        repo: this.repo,
        ...parameters,
        request,
      })) as GitHubResponse<T>;
      if (deadline && !late) deadline.lastAnswered = line;
      return response;
    } catch (error) {
      if (deadline?.passed && !late) throw deadline.signal.reason as Error;
      const { status, message, codes } = describeThrown(error);
      throw new GitHubApiError(route, status, message, codes, error);
    } finally {
      if (deadline && !late && deadline.waitingFor === line && !deadline.passed) deadline.waitingFor = undefined;
    }
  }

  /**
   * Waits as the policy says after `attempt` failed. Throws when the failure is
   * final, saying so when it was retried and the retries ran out.
   */
  async pauseBeforeRetry(failure: GitHubApiError, attempt: number, route: string): Promise<void> {
    // Past the deadline nothing is retried: clean-up gets one attempt.
    if (this.deadline?.passed) throw failure;
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
      if (this.deadline) this.deadline.waitingFor = undefined;
      if (attempt === 1) throw failure;
      const message = `${failure.detail} (gave up after ${attempt} attempts)`;
      throw new GitHubApiError(failure.route, failure.status, message, failure.codes, failure.cause);
    }
    this.#log(`${route}: ${decision.reason}; retrying in ${decision.delayMs} ms (attempt ${attempt + 1})`);
    if (this.deadline) this.deadline.waitingFor = `${failure.route} (retrying after: ${failure.detail})`;
    await this.#wait(decision.delayMs);
  }

  /** The retry wait, cut short by the deadline. */
  async #wait(ms: number): Promise<void> {
    const signal = this.deadline?.signal;
    if (!signal) return this.#sleep(ms);
    if (signal.aborted) throw signal.reason as Error;
    let abort: (() => void) | undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      abort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', abort, { once: true });
    });
    try {
      await Promise.race([this.#sleep(ms), aborted]);
    } finally {
      if (abort) signal.removeEventListener('abort', abort);
    }
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
