import type { Knex } from '@mikro-orm/postgresql';
import { type EventSchemas, isCurrentEvent } from '../../eventSchemas/index.js';
import type { EventToFold, StreamRef } from '../eventStore.js';
import { dataKeysSql } from './dataKeysSql.js';
import { type EventRow, eventColumns, openRowData, rowToEvent } from './rowToEvent.js';
import { query } from './sql.js';

/** The columns of es_events a fold needs: no metadata, ids, positions nor time to parse and convert. */
export type FoldRow = Pick<EventRow, 'version' | 'type' | 'schema_version' | 'data' | 'data_keys'>;

/** foldColumns of the table aliased `alias`, if any. */
export const foldColumnsOf = (alias?: string): string => {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return `${['version', 'type', 'schema_version', 'data'].map(column).join(', ')}, ${dataKeysSql(column('subjects'))} as data_keys`;
};

export const foldColumns = foldColumnsOf();

/**
 * Rows of one stream as the events a fold takes, personal fields opened (openRowData). Events stored in an older name or shape are read
 * again whole, as readStream reads them, and upcast (an upcaster may read the metadata); those are
 * the rare ones.
 */
export const foldRowsToEvents = async (
  knex: Knex,
  schemas: EventSchemas,
  { streamType, streamId }: StreamRef,
  rows: readonly FoldRow[],
): Promise<EventToFold[]> => {
  const events: EventToFold[] = rows.map((row) => ({
    version: row.version,
    type: row.type,
    data: openRowData(schemas, { ...row, stream_type: streamType }),
  }));
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
