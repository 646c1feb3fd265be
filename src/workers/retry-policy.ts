import type { RetryPolicy } from './worker-api.js';

/** Capped exponential backoff with jitter: the wait before try `attempt + 1`, after try `attempt` failed. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const full = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(full * (1 - policy.jitter * random()));
}

/** The try that a task with `retriesLeft` (the engine's count; null before any failure) is on, 1-based. */
export function attemptOf(policy: RetryPolicy, retriesLeft: number | null): number {
  return retriesLeft === null ? 1 : Math.max(1, policy.attempts - retriesLeft + 1);
}

/** The engine's retries left after try `attempt` failed: 0 raises the incident. */
export function retriesAfterFailure(policy: RetryPolicy, retriesLeft: number | null): number {
  return Math.max(0, (retriesLeft ?? policy.attempts) - 1);
}
