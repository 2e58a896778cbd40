import { isChronicleError } from './chronicleError.js';
import { TransientError } from './transientError.js';

export type ConflictRetry = {
  /** The stream, for the error after the last attempt (`<type>/<id>`). */
  readonly stream: string;
  /** Attempts after the first. */
  readonly maxRetries: number;
  /** After a conflict, before the next attempt: catch up with what the other writer appended. */
  readonly onConflict: () => unknown;
};

/**
 * The one conflict loop of an optimistic writer (the actor host, a process-manager instance):
 * `attempt` decides and appends at the version it read; a CONCURRENCY error (another writer moved
 * the stream) catches up and decides again, up to `maxRetries` times, then it is TRANSIENT (retried
 * in place by the caller's edge). Any other error passes through.
 */
export const retryOnConflict = async <T>(
  attempt: () => Promise<T>,
  { stream, maxRetries, onConflict }: ConflictRetry,
): Promise<T> => {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isChronicleError(error, 'CONCURRENCY')) throw error;
      if (tried > maxRetries)
        throw new TransientError(`${stream}: still conflicting after ${tried} attempts`, { cause: error });
      await onConflict();
    }
  }
};
