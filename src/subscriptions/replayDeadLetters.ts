import type { Knex } from '@mikro-orm/postgresql';
import { failureReason } from '../errors/index.js';
import {
  keepParked,
  lockCheckpoint,
  markReaderTransaction,
  parkEvent,
  requestedRetries,
  streamKey,
  unparkEvent,
} from '../eventStore/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { parksEvent } from './handleIsolating.js';
import type { BatchTarget } from './processBatch.js';

export type ReplayOutcome =
  | { readonly status: 'replayed'; readonly handled: number; readonly parked: number }
  | { readonly status: 'stale' };

/**
 * Replays the parked events an operator asked to retry, in the partition's own transaction (its
 * checkpoint row locked, so no batch of the same partition runs meanwhile): stream by stream, in
 * order, each event in a savepoint. A handled event leaves the dead letters; one that fails again
 * stays, with the new reason, and so do the events behind it.
 */
export const replayDeadLetters = async (knex: Knex, target: BatchTarget): Promise<ReplayOutcome> => {
  const { definition, partition, owner } = target;
  const context = { subscription: definition.name, partition };
  return knex.transaction(async (tx): Promise<ReplayOutcome> => {
    if (!definition.appendsEvents) await markReaderTransaction(tx);
    const row = await lockCheckpoint(tx, definition.name, partition);
    if (!row || row.owner !== owner || row.status !== 'active') return { status: 'stale' };
    await definition.prepareTransaction?.(tx);
    const events = await requestedRetries(tx, target.schemas, definition.name, partition);
    const streams = new Map<string, RecordedEvent[]>();
    for (const event of events)
      streams.set(streamKey(event), [...(streams.get(streamKey(event)) ?? []), event]);
    let handled = 0;
    let parked = 0;
    for (const stream of streams.values()) {
      for (const [index, event] of stream.entries()) {
        try {
          await tx.transaction((savepoint) => definition.handleBatch([event], savepoint, context));
          await unparkEvent(tx, definition.name, event.eventId);
          handled++;
        } catch (error) {
          if (!parksEvent(definition, error)) throw error;
          target.logger?.warn({ ...context, eventId: event.eventId, err: error }, 'dead letter failed again');
          await parkEvent(tx, context, event, failureReason(error));
          const behind = stream.slice(index + 1).map((later) => later.eventId);
          await keepParked(tx, definition.name, behind);
          parked += 1 + behind.length;
          break;
        }
      }
    }
    return { status: 'replayed', handled, parked };
  });
};
