import type { Knex } from '@mikro-orm/postgresql';
import { type Checkpoint, compareCheckpoints } from './checkpoint.js';
import { advanceCheckpoint, lockCheckpoint } from './checkpointStore.js';
import { readEventBatch } from './readEventBatch.js';
import type { SubscriptionDefinition } from './subscriptionDefinition.js';

export type BatchTarget = {
  readonly definition: SubscriptionDefinition;
  readonly partition: number;
  readonly owner: string;
  readonly leaseTtlMs: number;
};

export type BatchOutcome =
  | {
      readonly status: 'handled';
      readonly count: number;
      readonly next: Checkpoint;
      readonly full: boolean;
      readonly blocked: boolean;
    }
  | { readonly status: 'idle'; readonly next: Checkpoint; readonly blocked: boolean }
  /** The row changed under us (lease taken, reset, rebuilt, stopped): re-read it before going on. */
  | { readonly status: 'stale' }
  | { readonly status: 'failed'; readonly error: unknown };

class Stale extends Error {}

/**
 * One step of a partition: read the next events (outside any transaction, so an idle poll costs no
 * transaction id), then in one transaction lock the checkpoint row, check it is still ours and
 * still where we read from, handle the events and move the checkpoint. The handler's writes and
 * the checkpoint commit together or not at all: exactly-once for PostgreSQL read models.
 */
export const processBatch = async (
  knex: Knex,
  target: BatchTarget,
  from: Checkpoint,
  limit: number,
): Promise<BatchOutcome> => {
  const { definition, partition, owner } = target;
  const cas = { name: definition.name, partition, owner, ttlMs: target.leaseTtlMs };
  try {
    const batch = await readEventBatch(knex, {
      after: from,
      filter: definition.filter,
      partition: { index: partition, count: definition.partitions },
      limit,
    });
    if (batch.events.length === 0) {
      // only others' events (or none) passed: skip over them so lag and the next read stay small
      if (compareCheckpoints(batch.next, from) > 0 && !(await advanceCheckpoint(knex, cas, from, batch.next)))
        return { status: 'stale' };
      return { status: 'idle', next: batch.next, blocked: batch.blocked };
    }
    await knex.transaction(async (tx) => {
      const row = await lockCheckpoint(tx, definition.name, partition);
      if (
        !row ||
        row.owner !== owner ||
        row.status !== 'active' ||
        compareCheckpoints(row.checkpoint, from) !== 0
      )
        throw new Stale();
      await definition.prepareTransaction?.(tx);
      await definition.handleBatch(batch.events, tx, { subscription: definition.name, partition });
      if (!(await advanceCheckpoint(tx, cas, from, batch.next))) throw new Stale();
    });
    return {
      status: 'handled',
      count: batch.events.length,
      next: batch.next,
      full: batch.full,
      blocked: batch.blocked,
    };
  } catch (error) {
    if (error instanceof Stale) return { status: 'stale' };
    return { status: 'failed', error };
  }
};
