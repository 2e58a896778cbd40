import type { Knex } from '@mikro-orm/postgresql';
import { type StoredCheckpointRow, selectCheckpointSql, toCheckpointRow } from './checkpointRow.js';
import { query } from './sql.js';

/**
 * Locks the partition's row for the batch transaction. A takeover or a reset waits for the batch
 * to commit, and the batch sees their change if they came first.
 */
export const lockCheckpoint = async (tx: Knex.Transaction, name: string, partition: number) => {
  const [row] = await query<StoredCheckpointRow>(tx, `${selectCheckpointSql} for update`, [name, partition]);
  return row ? toCheckpointRow(row) : undefined;
};
