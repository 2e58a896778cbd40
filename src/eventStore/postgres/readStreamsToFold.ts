import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { EventToFold, StreamRef } from '../eventStore.js';
import { type FoldRow, foldColumnsOf, foldRowsToEvents } from './foldRows.js';
import { query } from './sql.js';

/** The outcome of reading one stream: its events as a fold takes them, or why they cannot be read. */
export type StreamToFold =
  | { readonly status: 'read'; readonly events: EventToFold[] }
  | { readonly status: 'unreadable'; readonly error: unknown };

const keyOf = ({ streamType, streamId }: StreamRef) => `${streamType}\u0000${streamId}`;

/**
 * Every event of several streams, in one statement, as readStreamToFold reads each (upcast through
 * `schemas`); a stream with an event `schemas` cannot read is answered with that error, and the
 * others are read all the same.
 */
export const readStreamsToFold = async (
  knex: Knex,
  schemas: EventSchemas,
  streams: readonly StreamRef[],
): Promise<Map<string, StreamToFold>> => {
  const rows =
    streams.length === 0
      ? []
      : await query<FoldRow & { stream_type: string; stream_id: string }>(
          knex,
          `select e.stream_type, e.stream_id, ${foldColumnsOf('e')}
           from es_events e join unnest(?::text[], ?::text[]) as s(stream_type, stream_id)
             on e.stream_type = s.stream_type and e.stream_id = s.stream_id
           order by e.stream_type, e.stream_id, e.version`,
          [streams.map((stream) => stream.streamType), streams.map((stream) => stream.streamId)],
        );
  const byStream = new Map<string, FoldRow[]>(streams.map((stream) => [keyOf(stream), []]));
  for (const row of rows)
    byStream.get(keyOf({ streamType: row.stream_type, streamId: row.stream_id }))?.push(row);
  const read = new Map<string, StreamToFold>();
  for (const stream of streams) {
    const key = keyOf(stream);
    try {
      read.set(key, {
        status: 'read',
        events: await foldRowsToEvents(knex, schemas, stream, byStream.get(key) ?? []),
      });
    } catch (error) {
      read.set(key, { status: 'unreadable', error });
    }
  }
  return read;
};

/** The key readStreamsToFold answers a stream under. */
export const streamToFoldKey = keyOf;
