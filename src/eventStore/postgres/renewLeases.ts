import { type Db, query } from './sql.js';

/**
 * Extends this worker's leases; returns the partitions it still holds. A row locked by one of its
 * own batches in flight is skipped, not waited for: that batch renews it when it commits.
 */
export const renewLeases = async (
  db: Db,
  name: string,
  workerId: string,
  ttlMs: number,
): Promise<number[]> => {
  const rows = await query<{ partition: number }>(
    db,
    `with held as (
       select partition from es_checkpoints where subscription = ? and owner = ? and status = 'active'
     ), renewed as (
       update es_checkpoints c set lease_expires_at = now() + ? * interval '1 millisecond'
       from (
         select subscription, partition from es_checkpoints
         where subscription = ? and owner = ? and status = 'active' for update skip locked
       ) free
       where c.subscription = free.subscription and c.partition = free.partition
     )
     select partition from held`,
    [name, workerId, ttlMs, name, workerId],
  );
  return rows.map((row) => row.partition).sort((a, b) => a - b);
};
