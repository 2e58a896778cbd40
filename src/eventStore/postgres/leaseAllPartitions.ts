import { type Db, query } from './sql.js';

/** Gives every partition of a subscription to one owner (a rebuild holds its whole shadow). */
export const leaseAllPartitions = async (
  db: Db,
  name: string,
  owner: string,
  ttlMs: number,
): Promise<void> => {
  await query(
    db,
    `update es_checkpoints set owner = ?, lease_expires_at = now() + ? * interval '1 millisecond' where subscription = ?`,
    [owner, ttlMs, name],
  );
};
