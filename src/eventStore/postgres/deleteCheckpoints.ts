import { type Db, query } from './sql.js';

/** Drops every partition row of a subscription (a reset, or a shadow replaced). */
export const deleteCheckpoints = async (db: Db, name: string): Promise<void> => {
  await query(db, 'delete from es_checkpoints where subscription = ?', [name]);
};
