import type { Knex } from '@mikro-orm/postgresql';
import { resumeFailedPartitions } from '../eventStore/index.js';

export type RetryResult =
  | { readonly status: 'resumed'; readonly name: string; readonly partitions: readonly number[] }
  | { readonly status: 'nothing-failed'; readonly name: string };

/**
 * Puts a projection's stopped partitions back to work, from the event they stopped on; a worker
 * claims them at its next lease round. Fix the cause first (code or data), or they stop again.
 */
export const retryProjection = async (db: Knex, name: string): Promise<RetryResult> => {
  const partitions = await resumeFailedPartitions(db, name);
  return partitions.length > 0 ? { status: 'resumed', name, partitions } : { status: 'nothing-failed', name };
};
