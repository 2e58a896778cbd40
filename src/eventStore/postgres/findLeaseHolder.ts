import { type Db, query } from './sql.js';

/** A worker holding a live lease on any partition of the subscription, if one does. */
export const findLeaseHolder = async (db: Db, name: string): Promise<string | undefined> => {
  const [row] = await query<{ owner: string }>(
    db,
    'select owner from es_checkpoints where subscription = ? and lease_expires_at > now() limit 1',
    [name],
  );
  return row?.owner;
};
