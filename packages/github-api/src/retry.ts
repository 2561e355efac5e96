/**
 * When to try a GitHub call again, and how long to wait first. Pure, so the
 * policy is tested as a table; the client applies it.
 *
 * Retried: 5xx, 429, 403 secondary rate limits (GitHub sends `retry-after`,
 * or `x-ratelimit-remaining: 0` with `x-ratelimit-reset` for the primary
 * limit), and failures with no response at all (connection reset/refused,
 * the transport's connect and idle timeouts: a stalled call).
 *
 * Why our own decision rather than @octokit/plugin-retry and
 * @octokit/plugin-throttling (decided for issue 25, against plugin-retry
 * 8.1 and plugin-throttling 11, the versions Octokit 7 takes):
 *
 * - The calls that matter most are not plain Octokit requests. Asset uploads
 *   and downloads stream a file (assets.ts) and run their own loop over
 *   `ApiClient.once`: each attempt reopens the file and restarts its
 *   progress, and before retrying an upload the release's assets are read
 *   (a cut upload leaves a `starter` asset to delete; a lost answer may hide
 *   a finished one). plugin-retry re-sends the same request options from an
 *   Octokit hook, which cannot do either, and would resend a consumed body.
 * - POSTs are not idempotent: creating a release, a tag ref or publishing a
 *   draft asks GitHub what the lost answer did before trying again
 *   (`CallOptions.beforeRetry`). The plugins have no such step.
 * - Every wait stops at the action's deadline (client.ts `#wait`), and past
 *   the deadline nothing is retried; plugin-retry waits in Bottleneck, which
 *   takes no abort signal, so a deadline could pass inside a backoff.
 * - A 403 secondary rate limit and a `retry-after` are honoured here only up
 *   to `maxRetryAfterMs`; plugin-throttling's choice is a callback per limit
 *   that would hold this same rule, plus Bottleneck's request queue, which a
 *   job making a dozen sequential calls does not need.
 *
 * So adopting them would keep this file and add two dependencies; the
 * decision stays here, with the stall retries and the deadline beside it.
 */

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** First backoff; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `retry-after` (or rate-limit reset) further away than this is not waited for: the call fails. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export interface FailedAttempt {
  /** 0 when no response came. */
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
  network: boolean;
}

export type RetryDecision = { retry: false; reason: string } | { retry: true; delayMs: number; reason: string };

/**
 * @param attempt the attempt that just failed, from 1
 * @param now milliseconds since the epoch (for `x-ratelimit-reset`)
 * @param random in [0, 1), spreads concurrent clients apart
 */
export function decideRetry(
  failure: FailedAttempt,
  attempt: number,
  policy: RetryPolicy,
  now: number,
  random: number,
): RetryDecision {
  if (attempt > policy.retries) return { retry: false, reason: `gave up after ${attempt} attempts` };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(backoff / 2 + (backoff / 2) * random);

  const waitFor = (ms: number, reason: string): RetryDecision =>
    ms > policy.maxRetryAfterMs
      ? { retry: false, reason: `${reason}: asked to wait ${Math.ceil(ms / 1000)}s, longer than we wait` }
      : { retry: true, delayMs: Math.max(ms, 0), reason };

  const retryAfter = header(failure.headers, 'retry-after');
  const remaining = header(failure.headers, 'x-ratelimit-remaining');
  const reset = header(failure.headers, 'x-ratelimit-reset');

  if (failure.network) return { retry: true, delayMs: jittered, reason: `no response (${failure.message})` };
  if (failure.status === 429 || (failure.status === 403 && retryAfter !== undefined)) {
    const seconds = Number(retryAfter);
    return Number.isFinite(seconds)
      ? waitFor(seconds * 1000, `rate limited (${failure.status})`)
      : { retry: true, delayMs: jittered, reason: `rate limited (${failure.status})` };
  }
  if (failure.status === 403 && /secondary rate limit/i.test(failure.message)) {
    // GitHub: without retry-after, wait at least a minute.
    return waitFor(60_000, 'secondary rate limit');
  }
  if (failure.status === 403 && remaining === '0' && reset !== undefined) {
    return waitFor(Number(reset) * 1000 - now + 1000, 'rate limit exhausted');
  }
  if (failure.status >= 500) return { retry: true, delayMs: jittered, reason: `server error ${failure.status}` };
  return { retry: false, reason: `status ${failure.status} is not retried` };
}

function header(headers: FailedAttempt['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return value === undefined ? undefined : String(value);
}
