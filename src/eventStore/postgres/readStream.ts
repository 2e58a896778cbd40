import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import type { ReadStreamOptions, StreamRef } from '../eventStore.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { query } from './sql.js';

/** A stream's events in version order, after `afterVersion` and up to `toVersion` when given. */
export const readStream = async (
  knex: Knex,
  schemas: EventSchemas,
  { streamType, streamId }: StreamRef,
  { afterVersion = 0, toVersion = 2_147_483_647 }: ReadStreamOptions = {},
): Promise<RecordedEvent[]> => {
  const rows = await query<EventRow>(
    knex,
    `select ${eventColumns} from es_events
     where stream_type = ? and stream_id = ? and version > ? and version <= ?
     order by version`,
    [streamType, streamId, afterVersion, toVersion],
  );
  return rows.map((row) => rowToEvent(row, schemas));
};
