import { type Db, query } from './sql.js';

/** Puts stopped partitions back to work; returns them. Their failure count starts again. */
export const resumeFailedPartitions = async (db: Db, name: string): Promise<number[]> => {
  const rows = await query<{ partition: number }>(
    db,
    `update es_checkpoints set status = 'active', attempts = 0, last_error = null, updated_at = now()
     where subscription = ? and status = 'failed'
     returning partition`,
    [name],
  );
  return rows.map((row) => row.partition).sort((a, b) => a - b);
};
