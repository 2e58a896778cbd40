import type { Checkpoint } from '../checkpoint.js';

/** A partition's row in es_checkpoints, as the subscription runner needs it. */
export type CheckpointRow = {
  readonly checkpoint: Checkpoint;
  readonly status: 'active' | 'failed';
  readonly owner: string | null;
  readonly attempts: number;
};

export type StoredCheckpointRow = {
  transaction_id: string;
  global_position: string;
  status: 'active' | 'failed';
  owner: string | null;
  attempts: number;
};

export const toCheckpointRow = (row: StoredCheckpointRow): CheckpointRow => ({
  checkpoint: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
  status: row.status,
  owner: row.owner,
  attempts: row.attempts,
});

export const selectCheckpointSql = `select transaction_id::text as transaction_id, global_position, status, owner, attempts
  from es_checkpoints where subscription = ? and partition = ?`;
