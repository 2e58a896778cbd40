import type { ServerResponse } from 'node:http';
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

export type EventStreamOptions = {
  readonly db: Knex;
  /** Events are sent in their current shape. */
  readonly schemas: EventSchemas;
  readonly wakeup: Wakeup;
  readonly filter: StreamFilter;
  readonly after: Checkpoint;
  /** Ends the stream: the client went away or the server is closing. */
  readonly signal: AbortSignal;
  readonly pollMs: number;
  readonly heartbeatMs: number;
  readonly batchSize?: number;
};

/** Resolves once the socket can take more, or the stream ends: a slow client slows only its reader. */
const drained = (res: ServerResponse, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });

const frame = (event: RecordedEvent) =>
  `id: ${encodePosition(checkpointOf(event))}\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * Writes Server-Sent Events to `res` until `signal` aborts: every committed event after `after`
 * that passes the filter, in (transaction_id, global_position) order, read with the subscriptions'
 * own horizon-safe batch query. It sleeps until a `chronicle_events` notification (or the poll
 * interval) and sends a comment line now and then, so idle connections stay open.
 */
export const writeEventStream = async (res: ServerResponse, options: EventStreamOptions): Promise<void> => {
  const { db, wakeup, filter, signal } = options;
  const batchFilter = {
    ...(filter.eventType ? { eventTypes: [filter.eventType] } : {}),
    ...(filter.aggregateType ? { streamTypes: [filter.aggregateType] } : {}),
  };
  let position = options.after;
  let lastWrite = Date.now();
  const write = async (chunk: string) => {
    lastWrite = Date.now();
    if (!res.write(chunk)) await drained(res, signal);
  };
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
      if (filter.aggregateId === undefined || event.streamId === filter.aggregateId)
        await write(frame(event));
    }
    position = batch.next;
    if (batch.full) continue;
    if (Date.now() - lastWrite >= options.heartbeatMs) await write(': keep-alive\n\n');
    await wakeup.wait(seen, Math.min(options.pollMs, options.heartbeatMs), signal);
  }
};
