import { attemptOf, backoffDelayMs, retriesAfterFailure } from './retry-policy.js';
import type { RetryPolicy } from './worker-api.js';

const policy: RetryPolicy = { attempts: 4, initialDelayMs: 1_000, factor: 2, maxDelayMs: 5_000, jitter: 0.2 };

describe('retry policy', () => {
  it('doubles the wait after each failed try up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(policy, attempt, () => 0))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('takes at most the jitter share off a wait', () => {
    expect(backoffDelayMs(policy, 2, () => 1)).toBe(1_600);
    expect(backoffDelayMs(policy, 2, () => 0.5)).toBe(1_800);
  });

  it('counts tries from the retries the engine holds', () => {
    expect(attemptOf(policy, null)).toBe(1);
    expect(attemptOf(policy, 3)).toBe(2);
    expect(attemptOf(policy, 1)).toBe(4);
  });

  it('leaves no retries after the last try, so the engine raises the incident', () => {
    expect(retriesAfterFailure(policy, null)).toBe(3);
    expect(retriesAfterFailure(policy, 1)).toBe(0);
    expect(retriesAfterFailure(policy, 0)).toBe(0);
  });
});
