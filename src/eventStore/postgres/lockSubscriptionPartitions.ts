import type { Knex } from '@mikro-orm/postgresql';
import type { Checkpoint } from '../checkpoint.js';
import { query } from './sql.js';

export type LockedPartition = {
  readonly partition: number;
  readonly owner: string | null;
  readonly checkpoint: Checkpoint;
};

/**
 * Locks every partition row of a subscription for this transaction, in partition order (so two
 * lockers cannot deadlock): the batches in flight commit first, new ones wait for this one.
 */
export const lockSubscriptionPartitions = async (
  tx: Knex.Transaction,
  name: string,
): Promise<LockedPartition[]> => {
  const rows = await query<{
    partition: number;
    owner: string | null;
    transaction_id: string;
    global_position: string;
  }>(
    tx,
    `select partition, owner, transaction_id::text as transaction_id, global_position
     from es_checkpoints where subscription = ? order by partition for update`,
    [name],
  );
  return rows.map((row) => ({
    partition: row.partition,
    owner: row.owner,
    checkpoint: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
  }));
};
