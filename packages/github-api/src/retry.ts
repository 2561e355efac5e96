/**
 * When to try a GitHub call again, and how long to wait first. Pure, so the
 * policy is tested as a table; the client applies it.
 *
 * Retried: 5xx, 429, 403 secondary rate limits (GitHub sends `retry-after`,
 * or `x-ratelimit-remaining: 0` with `x-ratelimit-reset` for the primary
 * limit), and failures with no response at all (connection reset/refused).
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
