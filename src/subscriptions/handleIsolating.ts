import type { Knex } from '@mikro-orm/postgresql';
import { classifyFailure, type FailureReason, failureReason } from '../errors/index.js';
import { notYetReadable } from '../eventSchemas/index.js';
import { parkEvent, streamKey } from '../eventStore/index.js';
import type { LoggerPort } from '../logging/index.js';
import type { RecordedEvent } from '../messages/index.js';
import type { BatchContext, SubscriptionDefinition } from './subscriptionDefinition.js';

/**
 * An event's own failure: retrying cannot fix it (classifyFailure) and it is not the deployment's
 * (a missing table or column fails every event alike: that stops the partition instead, visibly,
 * until the schema is fixed), nor the pod's age (notYetReadable: the partition waits for a newer
 * release).
 */
export const isPoison = (error: unknown): boolean =>
  classifyFailure(error) === 'permanent' &&
  failureReason(error).code !== 'SCHEMA_MISMATCH' &&
  // an event a newer release wrote is not bad, only early: the partition waits for that release
  notYetReadable(error) === undefined;

/** Whether `definition` parks the event that failed with `error` (see parksPoisonEvents). */
export const parksEvent = (definition: SubscriptionDefinition, error: unknown): boolean => {
  const parks = definition.parksPoisonEvents;
  if (!parks || !isPoison(error)) return false;
  return parks === true || parks(error);
};

export const behindDeadLetter: FailureReason = {
  code: 'BEHIND_DEAD_LETTER',
  message: 'an earlier event of this stream is a dead letter of this subscription',
};

export type IsolationTarget = {
  readonly definition: SubscriptionDefinition;
  readonly context: BatchContext;
  readonly logger?: LoggerPort;
};

const park = async (tx: Knex.Transaction, target: IsolationTarget, event: RecordedEvent, error?: unknown) => {
  const reason = error === undefined ? behindDeadLetter : failureReason(error);
  if (error !== undefined)
    target.logger?.warn(
      { ...target.context, eventId: event.eventId, err: error },
      'event parked as a dead letter of the subscription',
    );
  await parkEvent(tx, target.context, event, reason);
};

/**
 * Handles a batch inside the batch transaction so that one bad event cannot stall its partition.
 * Events of streams that already have a dead letter here are parked behind it (per-stream order
 * holds). With `isolate`, every other event runs alone in a savepoint: the one that fails for a
 * reason retrying cannot fix is parked with a typed reason, its stream's later events behind it,
 * and the rest are handled. Transient failures propagate: the whole batch is retried in place.
 */
export const handleIsolating = async (
  tx: Knex.Transaction,
  target: IsolationTarget,
  events: readonly RecordedEvent[],
  parkedBefore: ReadonlySet<string>,
  isolate: boolean,
): Promise<void> => {
  const { definition, context } = target;
  const parked = new Set(parkedBefore);
  if (!isolate) {
    const ready = parked.size === 0 ? events : events.filter((event) => !parked.has(streamKey(event)));
    for (const event of events) if (parked.has(streamKey(event))) await park(tx, target, event);
    if (ready.length > 0) await definition.handleBatch(ready, tx, context);
    return;
  }
  for (const event of events) {
    if (parked.has(streamKey(event))) {
      await park(tx, target, event);
      continue;
    }
    try {
      await tx.transaction((savepoint) => definition.handleBatch([event], savepoint, context));
    } catch (error) {
      if (!parksEvent(definition, error)) throw error;
      parked.add(streamKey(event));
      await park(tx, target, event, error);
    }
  }
};
