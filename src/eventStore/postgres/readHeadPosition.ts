import { type Db, query } from './sql.js';

/** The newest global position in the store (0 when it is empty). */
export const readHeadPosition = async (db: Db): Promise<number> => {
  const [row] = await query<{ head: string | null }>(
    db,
    'select max(global_position) as head from es_events',
  );
  return Number(row?.head ?? 0);
};
