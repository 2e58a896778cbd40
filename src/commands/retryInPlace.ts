import { setTimeout as sleep } from 'node:timers/promises';
import { isChronicleError } from '../errors/index.js';

export type RetryPolicy = {
  /** Attempts in all, the first included. Default 8. */
  readonly attempts?: number;
  /** Delay before the second attempt; doubles each time. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Default 10 s. */
  readonly maxDelayMs?: number;
};

/** Errors that will fail the same way however often they are retried. */
const PERMANENT = new Set(['FOLD_FAILED', 'STREAM_GAP', 'IMPURE_MACHINE', 'CONFIGURATION']);

export type RetryOutcome<T> =
  | { readonly status: 'ok'; readonly value: T; readonly attempts: number }
  | { readonly status: 'failed'; readonly error: unknown; readonly attempts: number };

/**
 * Retries a command's processing where it stands, holding its shard, with exponential backoff and
 * jitter: the commands queued behind it wait instead of overtaking it.
 */
export const retryInPlace = async <T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = {},
  onRetry: (error: unknown, attempt: number, delayMs: number) => void = () => {},
): Promise<RetryOutcome<T>> => {
  const attempts = policy.attempts ?? 8;
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return { status: 'ok', value: await fn(), attempts: attempt };
    } catch (error) {
      const permanent = isChronicleError(error) && PERMANENT.has(error.code);
      if (permanent || attempt >= attempts) return { status: 'failed', error, attempts: attempt };
      const delayMs = Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      onRetry(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
};
