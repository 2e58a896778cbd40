import type { Knex } from '@mikro-orm/postgresql';
import { query } from '../eventStore/index.js';
import type { Checkpoint } from './checkpoint.js';

type Db = Knex | Knex.Transaction;

export type CheckpointRow = {
  readonly checkpoint: Checkpoint;
  readonly status: 'active' | 'failed';
  readonly owner: string | null;
  readonly attempts: number;
};

type Row = {
  transaction_id: string;
  global_position: string;
  status: 'active' | 'failed';
  owner: string | null;
  attempts: number;
};

const toCheckpointRow = (row: Row): CheckpointRow => ({
  checkpoint: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
  status: row.status,
  owner: row.owner,
  attempts: row.attempts,
});

const selectRow = `select transaction_id::text as transaction_id, global_position, status, owner, attempts
  from es_checkpoints where subscription = ? and partition = ?`;

export const readCheckpoint = async (db: Db, name: string, partition: number) => {
  const [row] = await query<Row>(db, selectRow, [name, partition]);
  return row ? toCheckpointRow(row) : undefined;
};

/**
 * Locks the partition's row for the batch transaction. A takeover or a reset waits for the batch
 * to commit, and the batch sees their change if they came first.
 */
export const lockCheckpoint = async (tx: Knex.Transaction, name: string, partition: number) => {
  const [row] = await query<Row>(tx, `${selectRow} for update`, [name, partition]);
  return row ? toCheckpointRow(row) : undefined;
};

/**
 * Moves the checkpoint from `from` to `to` if this worker still owns the partition and nobody moved
 * it meanwhile (compare-and-set); a success also clears the failure count and renews the lease.
 */
export const advanceCheckpoint = async (
  db: Db,
  target: {
    readonly name: string;
    readonly partition: number;
    readonly owner: string;
    readonly ttlMs: number;
  },
  from: Checkpoint,
  to: Checkpoint,
): Promise<boolean> => {
  const rows = await query(
    db,
    `update es_checkpoints
     set transaction_id = ?::xid8, global_position = ?, attempts = 0, last_error = null, updated_at = now(),
         lease_expires_at = now() + ? * interval '1 millisecond'
     where subscription = ? and partition = ? and owner = ? and status = 'active'
       and transaction_id = ?::xid8 and global_position = ?
     returning partition`,
    [
      to.transactionId,
      to.globalPosition,
      target.ttlMs,
      target.name,
      target.partition,
      target.owner,
      from.transactionId,
      from.globalPosition,
    ],
  );
  return rows.length === 1;
};

export type FailureRecord = {
  readonly message: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly streamType?: string;
  readonly streamId?: string;
  readonly version?: number;
  readonly globalPosition?: number;
};

export type FailureOutcome =
  | { readonly status: 'retrying'; readonly attempts: number }
  /** The limit is reached: the partition is stopped (and released) until someone retries it. */
  | { readonly status: 'stopped'; readonly attempts: number }
  | { readonly status: 'lease-lost' };

/** Counts a failed attempt and records its error where `projections status` shows it. */
export const recordFailure = async (
  db: Db,
  target: { readonly name: string; readonly partition: number; readonly owner: string },
  failure: FailureRecord,
  maxAttempts: number,
): Promise<FailureOutcome> => {
  const [row] = await query<{ attempts: number; status: 'active' | 'failed' }>(
    db,
    `update es_checkpoints
     set attempts = attempts + 1,
         last_error = ?::jsonb || jsonb_build_object('at', now()),
         status = case when attempts + 1 >= ? then 'failed' else status end,
         owner = case when attempts + 1 >= ? then null else owner end,
         lease_expires_at = case when attempts + 1 >= ? then null else lease_expires_at end,
         updated_at = now()
     where subscription = ? and partition = ? and owner = ? and status = 'active'
     returning attempts, status`,
    [
      JSON.stringify(failure),
      maxAttempts,
      maxAttempts,
      maxAttempts,
      target.name,
      target.partition,
      target.owner,
    ],
  );
  if (!row) return { status: 'lease-lost' };
  return { status: row.status === 'failed' ? 'stopped' : 'retrying', attempts: row.attempts };
};

/** Puts stopped partitions back to work; returns them. Their failure count starts again. */
export const resumeFailedPartitions = async (db: Db, name: string): Promise<number[]> => {
  const rows = await query<{ partition: number }>(
    db,
    `update es_checkpoints set status = 'active', attempts = 0, last_error = null, updated_at = now()
     where subscription = ? and status = 'failed'
     returning partition`,
    [name],
  );
  return rows.map((row) => row.partition).sort((a, b) => a - b);
};
