import type { Checkpoint } from '../checkpoint.js';
import { type Db, query } from './sql.js';

export type CheckpointMove = {
  readonly name: string;
  readonly partition: number;
  readonly owner: string;
  readonly ttlMs: number;
};

/**
 * The compare-and-set move of a checkpoint (eight parameters: advanceParams), also the heart of a
 * batch's first statement (beginBatch).
 */
export const advanceSql = `update es_checkpoints
  set transaction_id = ?::xid8, global_position = ?, attempts = 0, last_error = null, updated_at = now(),
      lease_expires_at = now() + ? * interval '1 millisecond'
  where subscription = ? and partition = ? and owner = ? and status = 'active'
    and transaction_id = ?::xid8 and global_position = ?
  returning partition`;

export const advanceParams = (target: CheckpointMove, from: Checkpoint, to: Checkpoint) => [
  to.transactionId,
  to.globalPosition,
  target.ttlMs,
  target.name,
  target.partition,
  target.owner,
  from.transactionId,
  from.globalPosition,
];

/**
 * Moves the checkpoint from `from` to `to` if this worker still owns the partition and nobody moved
 * it meanwhile (compare-and-set); a success also clears the failure count and renews the lease.
 */
export const advanceCheckpoint = async (
  db: Db,
  target: CheckpointMove,
  from: Checkpoint,
  to: Checkpoint,
): Promise<boolean> => {
  const rows = await query(db, advanceSql, advanceParams(target, from, to), 'chronicle_advance_checkpoint');
  return rows.length === 1;
};
