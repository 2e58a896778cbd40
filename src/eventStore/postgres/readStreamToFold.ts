import type { Knex } from '@mikro-orm/postgresql';
import { type EventSchemas, isCurrentEvent } from '../../eventSchemas/index.js';
import type { EventToFold, ReadStreamOptions, StreamRef } from '../eventStore.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { query } from './sql.js';

type FoldRow = Pick<EventRow, 'version' | 'type' | 'schema_version' | 'data'>;

/**
 * A stream's events as a fold needs them, in version order: version, type and data, nothing else
 * of the row (no metadata, ids, positions nor time to carry, parse and convert). Events stored in
 * an older name or shape are read again whole, as readStream reads them, and upcast (an upcaster
 * may read the metadata); those are the rare ones.
 */
export const readStreamToFold = async (
  knex: Knex,
  schemas: EventSchemas,
  { streamType, streamId }: StreamRef,
  { afterVersion = 0, toVersion = 2_147_483_647 }: ReadStreamOptions = {},
): Promise<EventToFold[]> => {
  const rows = await query<FoldRow>(
    knex,
    `select version, type, schema_version, data from es_events
     where stream_type = ? and stream_id = ? and version > ? and version <= ?
     order by version`,
    [streamType, streamId, afterVersion, toVersion],
  );
  const events: EventToFold[] = rows.map(({ version, type, data }) => ({ version, type, data }));
  // version -> place in the list, of the events stored in an older name or shape
  const stale = new Map<number, number>();
  rows.forEach((row, index) => {
    if (!isCurrentEvent(schemas, streamType, row.type, row.schema_version)) stale.set(row.version, index);
  });
  if (stale.size === 0) return events;
  const whole = await query<EventRow>(
    knex,
    `select ${eventColumns} from es_events
     where stream_type = ? and stream_id = ? and version = any(?::int[])`,
    [streamType, streamId, [...stale.keys()]],
  );
  for (const row of whole) {
    const { version, type, data } = rowToEvent(row, schemas);
    events[stale.get(version) as number] = { version, type, data };
  }
  return events;
};
