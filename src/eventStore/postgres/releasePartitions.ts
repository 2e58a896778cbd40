import { type Db, query } from './sql.js';

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
