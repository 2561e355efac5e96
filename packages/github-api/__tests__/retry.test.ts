import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRY_POLICY, type FailedAttempt, decideRetry } from '../src/index.ts';

const policy = { ...DEFAULT_RETRY_POLICY, retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 };
const now = 1_700_000_000_000;

function failure(status: number, headers: Record<string, string> = {}, message = 'x', network = false): FailedAttempt {
  return { status, headers, message, network };
}

describe('decideRetry', () => {
  it.each<[string, FailedAttempt, number, boolean, number | undefined]>([
    ['500 backs off', failure(500), 1, true, 100],
    ['502 backs off longer each time', failure(502), 3, true, 400],
    ['a reset (no response) is retried', failure(0, {}, 'ECONNRESET', true), 1, true, 100],
    ['429 honours retry-after', failure(429, { 'retry-after': '3' }), 1, true, 3000],
    ['403 with retry-after is a secondary rate limit', failure(403, { 'retry-after': '0' }), 1, true, 0],
    [
      '403 primary limit waits for the reset',
      failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 4) }),
      1,
      true,
      5000,
    ],
    ['retry-after beyond the limit fails now', failure(429, { 'retry-after': '3600' }), 1, false, undefined],
    [
      '403 without rate-limit signs is a permission error',
      failure(403, {}, 'Resource not accessible by integration'),
      1,
      false,
      undefined,
    ],
    ['404 is final', failure(404), 1, false, undefined],
    ['422 is final', failure(422), 1, false, undefined],
    ['retries run out', failure(500), 4, false, undefined],
  ])('%s', (_name, attempt, number, retry, delayMs) => {
    // random = 1 takes the top of the jitter range, so the delay is the full backoff.
    const decision = decideRetry(attempt, number, policy, now, 1);
    expect(decision.retry).toBe(retry);
    if (decision.retry) expect(decision.delayMs).toBe(delayMs);
  });

  it('waits a minute on a 403 secondary rate limit without retry-after', () => {
    const limited = failure(403, {}, 'You have exceeded a secondary rate limit');
    // A policy that waits up to two minutes, so the minute itself is what is measured.
    const decision = decideRetry(limited, 1, { ...policy, maxRetryAfterMs: 120_000 }, now, 1);
    expect(decision).toEqual({ retry: true, delayMs: 60_000, reason: 'secondary rate limit' });
  });

  it('fails at once when that minute is longer than the policy waits', () => {
    const limited = failure(403, {}, 'You have exceeded a secondary rate limit');
    const decision = decideRetry(limited, 1, { ...policy, maxRetryAfterMs: 59_999 }, now, 1);
    expect(decision).toEqual({
      retry: false,
      reason: 'secondary rate limit: asked to wait 60s, longer than we wait',
    });
  });

  it('spreads concurrent clients with jitter (half to full backoff)', () => {
    const low = decideRetry(failure(500), 2, policy, now, 0);
    const high = decideRetry(failure(500), 2, policy, now, 0.999);
    expect(low.retry && low.delayMs).toBe(100);
    expect(high.retry && high.delayMs).toBe(200);
  });
});
