import type { Knex } from '@mikro-orm/postgresql';
import { ROOT_CONTEXT, type Span } from '@opentelemetry/api';
import type { EventSchemaError, EventSchemas } from '../eventSchemas/index.js';
import { beginBatch, type Checkpoint, UnreadableInBatch } from '../eventStore/index.js';
import type { LoggerPort } from '../logging/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { attr, withSpan } from '../tracing/index.js';
import { consumerAttributes, eventLinks, sharedEventAttributes } from './eventAttributes.js';
import { handleIsolating, parksEvent } from './handleIsolating.js';
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
  /**
   * The read reached an event written by a newer release than this code, after `index` readable
   * ones: nothing was handled or moved (the transaction rolled back).
   */
  | { readonly status: 'unreadable'; readonly index: number; readonly error: EventSchemaError }
  | { readonly status: 'failed'; readonly error: unknown };

class Stale extends Error {}

/**
 * The consumer span of one batch, `process <subscription>`: a trace of its own, linked to the
 * trace of each event; each event's own handling continues the trace that appended it (see
 * eventAttributes and the subscriptions).
 */
const inBatchSpan = <T>(
  definition: SubscriptionDefinition,
  partition: number,
  events: readonly RecordedEvent[],
  fn: (span: Span) => Promise<T> | T,
): Promise<T> =>
  withSpan(
    'consumer',
    `process ${definition.name}`,
    {
      parent: ROOT_CONTEXT,
      attributes: {
        ...consumerAttributes({ subscription: definition.name, partition }, 'process'),
        [attr.messagingBatchCount]: events.length,
      },
      whenRecorded: () => ({ links: eventLinks(events), attributes: sharedEventAttributes(events) }),
    },
    fn,
  );

/**
 * One transaction: its first statement reads the batch and moves the checkpoint past it
 * (beginBatch), then the handler writes. The handler's writes and the checkpoint commit together or
 * not at all. Throws Stale (rolled back) when the row moved under us.
 */
const handleInTransaction = (
  knex: Knex,
  target: BatchTarget,
  from: Checkpoint,
  limit: number,
  isolate: boolean,
): Promise<BatchOutcome> => {
  const { definition, partition, owner } = target;
  const context = { subscription: definition.name, partition };
  const move = { name: definition.name, partition, owner, ttlMs: target.leaseTtlMs };
  const request = {
    after: from,
    filter: definition.filter,
    partition: { index: partition, count: definition.partitions },
    limit,
  };
  return knex.transaction(async (tx): Promise<BatchOutcome> => {
    const start = await beginBatch(tx, target.schemas, request, {
      ...move,
      reader: !definition.appendsEvents,
    });
    if (start.status === 'stale') {
      // another runner moved the checkpoint first: the batch is not ours to handle, and its span
      // says so (an empty read, like an idle poll, has no span)
      if (start.events.length > 0)
        await inBatchSpan(definition, partition, start.events, (span) => {
          span.setAttribute(attr.outcome, 'stale');
        });
      throw new Stale();
    }
    const { batch } = start;
    // only others' events (or none) passed: the checkpoint moved over them, so lag and the next
    // read stay small
    if (batch.events.length === 0) return { status: 'idle', next: batch.next, blocked: batch.blocked };
    await inBatchSpan(definition, partition, batch.events, async (span) => {
      if (isolate) span.addEvent('isolating a failing event');
      await definition.prepareTransaction?.(tx);
      await handleIsolating(
        tx,
        { definition, context, ...(target.logger ? { logger: target.logger } : {}) },
        batch.events,
        start.parked,
        isolate,
      );
    });
    return {
      status: 'handled',
      count: batch.events.length,
      next: batch.next,
      full: batch.full,
      blocked: batch.blocked,
    };
  });
};

/**
 * One step of a partition, in one transaction: read the next events and move the checkpoint from
 * where we read to the batch's end if it is still ours and still there (one statement, beginBatch),
 * then handle the events. The handler's writes and the checkpoint commit together or not at all:
 * exactly-once for PostgreSQL read models. The handling runs in a consumer span
 * `process <subscription>` (a trace of its own) with a link to the trace context stored with each
 * event and `messaging.batch.message_count`; a batch found stale (the checkpoint moved first) is
 * not handled and its span ends at once with `chronicle.outcome` `stale`. When a read model's handler fails on a poison event,
 * the transaction rolls back and a second one reads from the same checkpoint (the same events
 * first: what was below the horizon stays so) and handles them one at a time, parking the one that
 * fails.
 */
export const processBatch = async (
  knex: Knex,
  target: BatchTarget,
  from: Checkpoint,
  limit: number,
): Promise<BatchOutcome> => {
  try {
    try {
      return await handleInTransaction(knex, target, from, limit, false);
    } catch (error) {
      if (!parksEvent(target.definition, error)) throw error;
      return await handleInTransaction(knex, target, from, limit, true);
    }
  } catch (error) {
    // rolled back because the partition moved on: not a failure of the batch
    if (error instanceof Stale) return { status: 'stale' };
    if (error instanceof UnreadableInBatch)
      return { status: 'unreadable', index: error.index, error: error.unreadable };
    return { status: 'failed', error };
  }
};
