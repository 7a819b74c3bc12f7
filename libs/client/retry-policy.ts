/**
 * When the client tries a call again, and after how long. Only two failures are retried:
 * UNAVAILABLE (no connection, or the node cannot serve now: the next address is tried) and a
 * rate limiter's RESOURCE_EXHAUSTED that says when to come back (`retry-after-ms`). Everything
 * else (bad input, a failed precondition, a deadline, a cancel) is the caller's to see at once.
 */
import { ResourceExhaustedError, UnavailableError, type DhtError } from './dht-errors.js';

export interface RetryPolicy {
  /** Calls made at most, the first one included (at least one per address). */
  readonly maxAttempts: number;
  /** The backoff before the second try of one address; it doubles per try. */
  readonly initialBackoffMs: number;
  /** The backoff never grows past this. */
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, initialBackoffMs: 50, maxBackoffMs: 2_000 };

/** No retry at all: every call is made once, to the first address that is up. */
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, initialBackoffMs: 0, maxBackoffMs: 0 };

export interface RetryDecision {
  /** Wait this long before the next try. */
  readonly delayMs: number;
  /** Move to the next address (the one that failed cannot serve). */
  readonly failover: boolean;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so two clients
 * that failed together do not come back together, and no retry comes back at once.
 * `attempt` counts the calls made so far (1 after the first).
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Whether `error`, after `attempt` calls, is worth another, and how; undefined: give up. */
export function retryDecision(error: DhtError, attempt: number, policy: RetryPolicy, random: () => number): RetryDecision | undefined {
  if (error instanceof UnavailableError) return { delayMs: backoffMs(attempt, policy, random), failover: true };
  if (error instanceof ResourceExhaustedError && error.retryAfterMs !== undefined) {
    // The limiter's time, plus jitter so that clients it turned away together spread out.
    return { delayMs: error.retryAfterMs + backoffMs(attempt, policy, random), failover: false };
  }
  return undefined;
}

export function validateRetryPolicy(policy: RetryPolicy): void {
  const ok = (n: number, min: number): boolean => Number.isSafeInteger(n) && n >= min;
  if (!ok(policy.maxAttempts, 1)) throw new RangeError(`retry.maxAttempts must be an integer of at least 1, got ${policy.maxAttempts}`);
  if (!ok(policy.initialBackoffMs, 0))
    throw new RangeError(`retry.initialBackoffMs must be a non-negative integer, got ${policy.initialBackoffMs}`);
  if (!ok(policy.maxBackoffMs, policy.initialBackoffMs))
    throw new RangeError(`retry.maxBackoffMs must be an integer of at least initialBackoffMs, got ${policy.maxBackoffMs}`);
}
