import { type Db, query } from './sql.js';

/**
 * Makes one subscription's checkpoints another's (a rebuilt shadow becomes the live projection):
 * released, failures cleared, positions kept. The target must have no rows left.
 */
export const renameSubscription = async (db: Db, from: string, to: string): Promise<void> => {
  await query(
    db,
    `update es_checkpoints
     set subscription = ?, owner = null, lease_expires_at = null, attempts = 0, last_error = null, updated_at = now()
     where subscription = ?`,
    [to, from],
  );
};
