import { type StoredCheckpointRow, selectCheckpointSql, toCheckpointRow } from './checkpointRow.js';
import { type Db, query } from './sql.js';

export const readCheckpoint = async (db: Db, name: string, partition: number) => {
  const [row] = await query<StoredCheckpointRow>(db, selectCheckpointSql, [name, partition]);
  return row ? toCheckpointRow(row) : undefined;
};
