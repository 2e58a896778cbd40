import type { Knex } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { EventSchemas } from '../eventSchemas/index.js';
import {
  findCheckpointAtTime,
  findEventCheckpoint,
  readEventBatch,
  startOfStream,
  wholeStream,
} from '../eventStore/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { IsoTime } from './queryParameters.js';
import { invalid, type QueryResult, withQuery } from './queryResult.js';

export const EventFeedQuery = z.strictObject({
  /** The `next` of the previous page (a global position); 0 or absent: from the start. */
  after: z.coerce.number().int().min(0).default(0),
  /** Instead of `after`: from the first event recorded at or after this time (ISO 8601 with offset). */
  from: IsoTime.optional(),
  type: z.string().min(1).optional(),
  aggregateType: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export type EventFeedPage = {
  readonly events: readonly RecordedEvent[];
  /** Pass as `after` for the next page; equal to `after` when nothing new has committed. */
  readonly next: number;
};

/**
 * A page of the global event feed, in commit-safe order: (transaction_id, global_position), only
 * committed events below the horizon, so a client paging with `next` never misses a late commit.
 * Positions therefore need not increase within a page. `after` names an event; its transaction id
 * is looked up, so clients only keep a number.
 */
export const eventFeed = (
  db: Knex,
  schemas: EventSchemas,
  input: unknown,
): Promise<QueryResult<EventFeedPage>> =>
  withQuery(EventFeedQuery, input, async ({ after, from: time, type, aggregateType, limit }) => {
    let from = startOfStream;
    if (time !== undefined) {
      if (after > 0) return invalid('from', 'give `after` or `from`, not both');
      from = await findCheckpointAtTime(db, time);
    } else if (after > 0) {
      const found = await findEventCheckpoint(db, after);
      if (!found)
        return invalid('after', `no event at position ${after}; pass the \`next\` of a previous page`);
      from = found;
    }
    const batch = await readEventBatch(db, schemas, {
      after: from,
      filter: {
        ...(type ? { eventTypes: [type] } : {}),
        ...(aggregateType ? { streamTypes: [aggregateType] } : {}),
      },
      partition: wholeStream,
      limit,
    });
    return { status: 'ok', data: { events: batch.events, next: batch.next.globalPosition } };
  });
