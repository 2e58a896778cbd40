import type { FailureRecord } from '../partitionFailure.js';
import { type Db, query } from './sql.js';

export type FailureOutcome =
  | { readonly status: 'retrying'; readonly attempts: number }
  /** The limit is reached: the partition is stopped (and released) until someone retries it. */
  | { readonly status: 'stopped'; readonly attempts: number }
  | { readonly status: 'lease-lost' };

/** Counts a failed attempt and records its error where `projections status` shows it. */
export const recordFailure = async (
  db: Db,
  target: { readonly name: string; readonly partition: number; readonly owner: string },
  failure: FailureRecord,
  maxAttempts: number,
): Promise<FailureOutcome> => {
  const [row] = await query<{ attempts: number; status: 'active' | 'failed' }>(
    db,
    `update es_checkpoints
     set attempts = attempts + 1,
         last_error = ?::jsonb || jsonb_build_object('at', now()),
         status = case when attempts + 1 >= ? then 'failed' else status end,
         owner = case when attempts + 1 >= ? then null else owner end,
         lease_expires_at = case when attempts + 1 >= ? then null else lease_expires_at end,
         updated_at = now()
     where subscription = ? and partition = ? and owner = ? and status = 'active'
     returning attempts, status`,
    [
      JSON.stringify(failure),
      maxAttempts,
      maxAttempts,
      maxAttempts,
      target.name,
      target.partition,
      target.owner,
    ],
  );
  if (!row) return { status: 'lease-lost' };
  return { status: row.status === 'failed' ? 'stopped' : 'retrying', attempts: row.attempts };
};
