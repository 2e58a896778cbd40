import { type Db, query } from './sql.js';

export const activePartitionCount = async (db: Db, name: string): Promise<number> => {
  const [row] = await query<{ active: string }>(
    db,
    `select count(*) as active from es_checkpoints where subscription = ? and status = 'active'`,
    [name],
  );
  return Number(row?.active ?? 0);
};
