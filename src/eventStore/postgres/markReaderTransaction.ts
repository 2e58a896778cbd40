import type { Knex } from '@mikro-orm/postgresql';
import { query } from './sql.js';

/**
 * The advisory lock key (two int4 halves) that marks a transaction as a subscription reader: one
 * that writes read models and checkpoints but never es_events. The horizon does not wait for such
 * transactions (see horizonSql). Reserved: nothing else may take it.
 */
export const readerLockKey = [1667789423, 1] as const;

/**
 * Marks the current transaction as a reader: the shared advisory lock is what other sessions see in
 * pg_locks, and the `chronicle.reader` setting is what es_events' guard trigger checks, so a
 * marked transaction that tries to append fails instead of appending events the horizon would not
 * wait for. Call it first in the transaction, before anything takes a transaction id.
 */
export const markReaderTransaction = async (tx: Knex.Transaction): Promise<void> => {
  await query(tx, `select set_config('chronicle.reader', 'on', true), pg_advisory_xact_lock_shared(?, ?)`, [
    ...readerLockKey,
  ]);
};
