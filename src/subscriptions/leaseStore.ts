import type { Knex } from '@mikro-orm/postgresql';
import { query } from '../eventStore/index.js';

type Db = Knex | Knex.Transaction;

export type PartitionLayout =
  | { readonly status: 'ready' }
  /** Stored checkpoints were made for another partition count: they would not match the hash. */
  | { readonly status: 'mismatch'; readonly stored: readonly number[] };

/** Creates the checkpoint rows of a new subscription; refuses a layout that changed since. */
export const ensurePartitions = async (
  db: Db,
  name: string,
  partitions: number,
): Promise<PartitionLayout> => {
  await query(
    db,
    `insert into es_checkpoints (subscription, partition, partitions)
     select ?, p, ? from generate_series(0, ? - 1) p
     where not exists (select 1 from es_checkpoints where subscription = ?)
     on conflict do nothing`,
    [name, partitions, partitions, name],
  );
  const rows = await query<{ partitions: number; count: string }>(
    db,
    'select partitions, count(*) as count from es_checkpoints where subscription = ? group by partitions',
    [name],
  );
  const [only] = rows;
  if (rows.length === 1 && only?.partitions === partitions && Number(only.count) === partitions)
    return { status: 'ready' };
  return { status: 'mismatch', stored: rows.map((row) => row.partitions) };
};

/** Says this worker is alive for `name`, drops workers that stopped saying so, returns how many live. */
export const heartbeat = async (db: Db, name: string, workerId: string, ttlMs: number): Promise<number> => {
  await query(
    db,
    `insert into es_subscription_workers (subscription, worker_id, expires_at)
     values (?, ?, now() + ? * interval '1 millisecond')
     on conflict (subscription, worker_id) do update set expires_at = excluded.expires_at`,
    [name, workerId, ttlMs],
  );
  await query(db, 'delete from es_subscription_workers where subscription = ? and expires_at < now()', [
    name,
  ]);
  const [row] = await query<{ live: string }>(
    db,
    'select count(*) as live from es_subscription_workers where subscription = ?',
    [name],
  );
  return Number(row?.live ?? 1);
};

export const leaveSubscription = async (db: Db, name: string, workerId: string): Promise<void> => {
  await query(db, 'delete from es_subscription_workers where subscription = ? and worker_id = ?', [
    name,
    workerId,
  ]);
};

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

export const activePartitionCount = async (db: Db, name: string): Promise<number> => {
  const [row] = await query<{ active: string }>(
    db,
    `select count(*) as active from es_checkpoints where subscription = ? and status = 'active'`,
    [name],
  );
  return Number(row?.active ?? 0);
};

/**
 * Takes up to `max` partitions that nobody holds or whose lease has expired. `skip locked` passes
 * over rows a batch transaction holds right now: their owner is alive. Only rows laid out for
 * `partitions`: after a rebuild changed the count, a worker still on the old definition takes none.
 */
export const claimPartitions = async (
  db: Db,
  target: { readonly name: string; readonly partitions: number },
  workerId: string,
  ttlMs: number,
  max: number,
): Promise<number[]> => {
  if (max <= 0) return [];
  const rows = await query<{ partition: number }>(
    db,
    `update es_checkpoints c set owner = ?, lease_expires_at = now() + ? * interval '1 millisecond', updated_at = now()
     from (
       select subscription, partition from es_checkpoints
       where subscription = ? and partitions = ? and status = 'active' and (owner is null or lease_expires_at < now())
       order by partition limit ? for update skip locked
     ) free
     where c.subscription = free.subscription and c.partition = free.partition
     returning c.partition`,
    [workerId, ttlMs, target.name, target.partitions, max],
  );
  return rows.map((row) => row.partition).sort((a, b) => a - b);
};

/** Gives partitions back (all of this worker's when `partitions` is absent). */
export const releasePartitions = async (
  db: Db,
  name: string,
  workerId: string,
  partitions?: readonly number[],
): Promise<void> => {
  await query(
    db,
    `update es_checkpoints set owner = null, lease_expires_at = null, updated_at = now()
     where subscription = ? and owner = ? and (?::int[] is null or partition = any(?::int[]))`,
    [name, workerId, partitions ? [...partitions] : null, partitions ? [...partitions] : null],
  );
};
