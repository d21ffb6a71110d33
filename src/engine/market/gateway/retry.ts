/**
 * Bounded retries with exponential backoff and jitter for temporary exchange errors.
 * Jitter spreads retries of many feeds that failed together (one outage hits every symbol at once), so they do
 * not stampede the exchange again at the same instant.
 */
import { RateLimitError, TemporaryError } from '../../errors.ts';

export interface RetryPolicy {
  /** Total tries, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A Retry-After longer than this is not waited out inside one call (an IP ban can last minutes): the RateLimitError
   * goes to the caller, which can reschedule.
   */
  maxRetryAfterMs: number;
  /** Injectable so tests never sleep for real. */
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); injectable for deterministic tests. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** "Equal jitter": half the exponential delay is kept, half is random, so a retry never fires immediately. */
export function backoffDelay(retryNumber: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(exponential / 2 + policy.random() * (exponential / 2));
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: TemporaryError;
}

/**
 * Runs `operation` until it succeeds, fails with a non-temporary error, or the attempts run out.
 * `classify` turns whatever was thrown into the error to act on (and to rethrow).
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  classify: (error: unknown) => unknown,
  policy: RetryPolicy,
  onRetry?: (event: RetryEvent) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (raw) {
      const error = classify(raw);
      if (!(error instanceof TemporaryError) || attempt >= policy.attempts) throw annotate(error, attempt);
      let delayMs = backoffDelay(attempt, policy);
      if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
        if (error.retryAfterMs > policy.maxRetryAfterMs) throw annotate(error, attempt);
        delayMs = Math.max(delayMs, error.retryAfterMs);
      }
      onRetry?.({ attempt, delayMs, error });
      await policy.sleep(delayMs);
    }
  }
}

/** Says how hard we tried, so "exchange unavailable" after 4 attempts reads differently from a one-off. */
function annotate(error: unknown, attempts: number): unknown {
  if (error instanceof TemporaryError && attempts > 1) {
    error.message = `${error.message} [gave up after ${attempts} attempts]`;
    error.details.attempts = attempts;
  }
  return error;
}
