import { setTimeout as sleep } from 'node:timers/promises';
import { classifyFailure } from '../errors/index.js';

export type RetryPolicy = {
  /** Delay before the second attempt; doubles each time. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Default 5 s: how soon a command runs once an outage ends. */
  readonly maxDelayMs?: number;
};

export type RetryOutcome<T> =
  | { readonly status: 'ok'; readonly value: T; readonly attempts: number }
  /** A failure retrying cannot fix (classifyFailure): given up on its first occurrence. */
  | { readonly status: 'failed'; readonly error: unknown; readonly attempts: number }
  /** Asked to stop while waiting out a transient failure: the work is neither done nor failed. */
  | { readonly status: 'abandoned'; readonly error: unknown; readonly attempts: number };

/**
 * Runs `fn` where it stands, holding its shard: a transient failure (an outage) is retried with
 * exponential backoff and jitter for as long as it lasts, so the commands queued behind it wait
 * instead of overtaking it; any other failure ends it at once.
 */
export const retryInPlace = async <T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = {},
  onRetry: (error: unknown, attempt: number, delayMs: number) => void = () => {},
  signal?: AbortSignal,
): Promise<RetryOutcome<T>> => {
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return { status: 'ok', value: await fn(), attempts: attempt };
    } catch (error) {
      if (classifyFailure(error) === 'permanent') return { status: 'failed', error, attempts: attempt };
      if (signal?.aborted) return { status: 'abandoned', error, attempts: attempt };
      const delayMs = Math.min(max, base * 2 ** Math.min(attempt - 1, 20)) * (0.5 + Math.random() / 2);
      onRetry(error, attempt, delayMs);
      try {
        await sleep(delayMs, undefined, signal ? { signal } : {});
      } catch {
        return { status: 'abandoned', error, attempts: attempt };
      }
    }
  }
};
