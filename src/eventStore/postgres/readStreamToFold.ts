import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { EventToFold, ReadStreamOptions, StreamRef } from '../eventStore.js';
import { type FoldRow, foldColumns, foldRowsToEvents } from './foldRows.js';
import { query } from './sql.js';

/** A stream's events as a fold needs them, in version order, after `afterVersion` and up to `toVersion`. */
export const readStreamToFold = async (
  knex: Knex,
  schemas: EventSchemas,
  stream: StreamRef,
  { afterVersion = 0, toVersion = 2_147_483_647 }: ReadStreamOptions = {},
): Promise<EventToFold[]> => {
  const rows = await query<FoldRow>(
    knex,
    `select ${foldColumns} from es_events
     where stream_type = ? and stream_id = ? and version > ? and version <= ?
     order by version`,
    [stream.streamType, stream.streamId, afterVersion, toVersion],
  );
  return foldRowsToEvents(knex, schemas, stream, rows);
};
