import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import { type Checkpoint, checkpointOf, readEventBatch, wholeStream } from '../../eventStore/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import type { Wakeup } from '../../subscriptions/index.js';
import { encodePosition } from './positionToken.js';

export type StreamFilter = {
  readonly aggregateType?: string;
  readonly aggregateId?: string;
  readonly eventType?: string;
};

/** A writable stream's back-pressure signal (a socket, an HTTP response, a gRPC call). */
type Drains = {
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
};

/** Resolves once `stream` can take more, or the feed ends: a slow client slows only its own feed. */
export const drained = (stream: Drains, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    stream.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });

/** Where a live feed goes: SSE, a WebSocket, a gRPC stream. */
export type FeedSink = {
  /** Delivers one event with its position token; resolves once the transport can take more. */
  event(event: RecordedEvent, position: string): Promise<void>;
  /** Nothing was delivered for `heartbeatMs`: keep idle connections open. */
  idle(): Promise<void>;
};

export type FollowOptions = {
  readonly db: Knex;
  /** Events are sent in their current shape. */
  readonly schemas: EventSchemas;
  readonly wakeup: Wakeup;
  readonly filter: StreamFilter;
  readonly after: Checkpoint;
  /** Ends the feed: the client went away or the server is closing. */
  readonly signal: AbortSignal;
  readonly pollMs: number;
  readonly heartbeatMs: number;
  readonly batchSize?: number;
};

/**
 * Delivers to `sink` until `signal` aborts: every committed event after `after` that passes the
 * filter, in (transaction_id, global_position) order, read with the subscriptions' own
 * horizon-safe batch query. It sleeps until a `chronicle_events` notification (or the poll
 * interval), and calls `idle` when nothing was delivered for a heartbeat.
 */
export const followEvents = async (sink: FeedSink, options: FollowOptions): Promise<void> => {
  const { db, wakeup, filter, signal } = options;
  const batchFilter = {
    ...(filter.eventType ? { eventTypes: [filter.eventType] } : {}),
    ...(filter.aggregateType ? { streamTypes: [filter.aggregateType] } : {}),
  };
  let position = options.after;
  let lastDelivery = Date.now();
  while (!signal.aborted) {
    const seen = wakeup.generation;
    const batch = await readEventBatch(db, options.schemas, {
      after: position,
      filter: batchFilter,
      partition: wholeStream,
      limit: options.batchSize ?? 500,
    });
    for (const event of batch.events) {
      if (signal.aborted) return;
      // the batch query has no stream-id filter: events of other aggregates are passed over here
      if (filter.aggregateId !== undefined && event.streamId !== filter.aggregateId) continue;
      lastDelivery = Date.now();
      await sink.event(event, encodePosition(checkpointOf(event)));
    }
    position = batch.next;
    if (batch.full) continue;
    if (Date.now() - lastDelivery >= options.heartbeatMs) {
      lastDelivery = Date.now();
      await sink.idle();
    }
    await wakeup.wait(seen, Math.min(options.pollMs, options.heartbeatMs), signal);
  }
};
