import type { Checkpoint } from '../checkpoint.js';
import { type Db, query } from './sql.js';

/** The commit-order position of the event at a global position, if there is one. */
export const findEventCheckpoint = async (
  db: Db,
  globalPosition: number,
): Promise<Checkpoint | undefined> => {
  const [row] = await query<{ transaction_id: string }>(
    db,
    'select transaction_id::text as transaction_id from es_events where global_position = ?',
    [globalPosition],
  );
  return row ? { transactionId: row.transaction_id, globalPosition } : undefined;
};
