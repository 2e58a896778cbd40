import type { Checkpoint } from '../checkpoint.js';
import { type Db, query } from './sql.js';

/** Moves a partition's checkpoint unconditionally (the caller holds the row locked). */
export const setCheckpoint = async (
  db: Db,
  name: string,
  partition: number,
  to: Checkpoint,
): Promise<void> => {
  await query(
    db,
    'update es_checkpoints set transaction_id = ?::xid8, global_position = ?, waiting = null where subscription = ? and partition = ?',
    [to.transactionId, to.globalPosition, name, partition],
  );
};
