import type { Knex } from '@mikro-orm/postgresql';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { EventSchemas } from '../eventSchemas/index.js';
import {
  advanceCheckpoint,
  beginBatch,
  type Checkpoint,
  compareCheckpoints,
  type EventBatch,
  readEventBatch,
} from '../eventStore/index.js';
import type { LoggerPort } from '../logging/index.js';
import { attr, withSpan } from '../tracing/index.js';
import { consumerAttributes, eventLinks, sharedEventAttributes } from './eventAttributes.js';
import { handleIsolating, isPoison } from './handleIsolating.js';
import type { SubscriptionDefinition } from './subscriptionDefinition.js';

export type BatchTarget = {
  readonly definition: SubscriptionDefinition;
  readonly partition: number;
  readonly owner: string;
  readonly leaseTtlMs: number;
  readonly schemas: EventSchemas;
  /** Where a parked event's full error goes (readers of the dead letter get its code only). */
  readonly logger?: LoggerPort;
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

/** Handles the batch and moves the checkpoint in one transaction; false when the row moved under us. */
const handleInTransaction = async (
  knex: Knex,
  target: BatchTarget,
  from: Checkpoint,
  batch: EventBatch,
  isolate: boolean,
): Promise<boolean> => {
  const { definition, partition, owner } = target;
  const context = { subscription: definition.name, partition };
  const move = { name: definition.name, partition, owner, ttlMs: target.leaseTtlMs };
  try {
    await knex.transaction(async (tx) => {
      const start = await beginBatch(
        tx,
        { ...move, reader: !definition.appendsEvents },
        { events: batch.events, from, to: batch.next },
      );
      if (!start.moved) throw new Stale();
      await definition.prepareTransaction?.(tx);
      await handleIsolating(
        tx,
        { definition, context, ...(target.logger ? { logger: target.logger } : {}) },
        batch.events,
        start.parked,
        isolate,
      );
    });
    return true;
  } catch (error) {
    if (error instanceof Stale) return false;
    throw error;
  }
};

/**
 * One step of a partition: read the next events (outside any transaction, so an idle poll costs no
 * transaction id), then in one transaction move the checkpoint from where we read to the batch's
 * end if it is still ours and still there (the first statement, beginBatch), and handle the events.
 * The handler's writes and the checkpoint commit together or not at all: exactly-once for
 * PostgreSQL read models. The
 * transaction runs in a consumer span `process <subscription>` (a trace of its own) with a link to
 * the trace context stored with each event and `messaging.batch.message_count`.
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
    const batch = await readEventBatch(knex, target.schemas, {
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
    const handled = await withSpan(
      'consumer',
      `process ${definition.name}`,
      {
        // a batch is its own trace, linked to the trace of each event; each event's own handling
        // continues the trace that appended it (see eventAttributes and the subscriptions)
        parent: ROOT_CONTEXT,
        attributes: {
          ...consumerAttributes({ subscription: definition.name, partition }, 'process'),
          [attr.messagingBatchCount]: batch.events.length,
        },
        whenRecorded: () => ({
          links: eventLinks(batch.events),
          attributes: sharedEventAttributes(batch.events),
        }),
      },
      async (span) => {
        let committed: boolean;
        try {
          committed = await handleInTransaction(knex, target, from, batch, false);
        } catch (error) {
          if (!definition.parksPoisonEvents || !isPoison(error)) throw error;
          // one event spoiled the batch: again, one event at a time, parking the one that fails
          span.addEvent('isolating a failing event');
          committed = await handleInTransaction(knex, target, from, batch, true);
        }
        // rolled back because the partition moved on: not a failure of the batch
        if (!committed) span.setAttribute(attr.outcome, 'stale');
        return committed;
      },
    );
    if (!handled) return { status: 'stale' };
    return {
      status: 'handled',
      count: batch.events.length,
      next: batch.next,
      full: batch.full,
      blocked: batch.blocked,
    };
  } catch (error) {
    return { status: 'failed', error };
  }
};
