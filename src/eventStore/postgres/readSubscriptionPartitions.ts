import type { Checkpoint } from '../checkpoint.js';
import type { PartitionFailure, PartitionWaiting } from '../partitionFailure.js';
import { type Db, query } from './sql.js';

/** One partition of a subscription as stored: where it stands, who holds it, how it fails. */
export type StoredPartition = {
  readonly subscription: string;
  readonly partition: number;
  readonly partitions: number;
  readonly checkpoint: Checkpoint;
  readonly status: 'active' | 'failed';
  readonly owner: string | null;
  readonly leaseExpiresAt: string | null;
  /** The lease is held and has not expired (by the database's clock). */
  readonly leaseLive: boolean;
  /**
   * Its worker named its connections and the one that tells is gone (its LISTEN session, by pid,
   * when it recorded one; else any of that name): it died, though its lease may not have run out.
   */
  readonly ownerGone: boolean;
  readonly attempts: number;
  readonly lastError: PartitionFailure | null;
  /** The event of a newer release it waits at (waitAtEvent), or null. */
  readonly waiting: PartitionWaiting | null;
};

type Row = {
  subscription: string;
  partition: number;
  partitions: number;
  transaction_id: string;
  global_position: string;
  status: 'active' | 'failed';
  owner: string | null;
  lease_expires_at: Date | null;
  lease_live: boolean;
  owner_gone: boolean;
  attempts: number;
  last_error: PartitionFailure | null;
  waiting: PartitionWaiting | null;
};

/** Every partition of a subscription, in order; none for a subscription that never ran. */
export const readSubscriptionPartitions = async (db: Db, name: string): Promise<StoredPartition[]> => {
  const rows = await query<Row>(
    db,
    `select subscription, partition, partitions, transaction_id::text as transaction_id, global_position, status,
       owner, lease_expires_at, coalesce(lease_expires_at > now(), false) as lease_live, attempts, last_error, waiting,
       exists (select 1 from es_subscription_workers w
               where w.subscription = c.subscription and w.worker_id = c.owner and w.connection_name is not null
                 and not exists (select 1 from pg_stat_activity a where a.application_name = w.connection_name
                                   and (w.listen_pid is null or a.pid = w.listen_pid)))
         as owner_gone
     from es_checkpoints c where subscription = ? order by partition`,
    [name],
  );
  return rows.map((row) => ({
    subscription: row.subscription,
    partition: row.partition,
    partitions: row.partitions,
    checkpoint: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
    status: row.status,
    owner: row.owner,
    leaseExpiresAt: row.lease_expires_at ? new Date(row.lease_expires_at).toISOString() : null,
    leaseLive: row.lease_live,
    ownerGone: row.owner_gone,
    attempts: row.attempts,
    lastError: row.last_error,
    waiting: row.waiting,
  }));
};
