import type { Knex } from '@mikro-orm/postgresql';
import type { PersistedAggregateState } from '../../aggregate/index.js';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { ReadStreamOptions, StreamRef, ToFold } from '../eventStore.js';
import { type FoldRow, foldColumns, foldRowsToEvents } from './foldRows.js';
import { query } from './sql.js';

/**
 * What hydrating a stream folds, in one statement (one round trip, which is most of a hydration
 * from a recent snapshot): the latest snapshot taken with `machineHash` and not past `toVersion`,
 * as a first row with no type, then the events after it up to `toVersion`.
 */
export const readToFold = async (
  knex: Knex,
  schemas: EventSchemas,
  stream: StreamRef,
  machineHash: string,
  { toVersion = 2_147_483_647 }: Pick<ReadStreamOptions, 'toVersion'> = {},
): Promise<ToFold> => {
  const { streamType, streamId } = stream;
  const rows = await query<FoldRow>(
    knex,
    `with snapshot as (
       select version, state from es_snapshots
       where stream_type = ? and stream_id = ? and machine_hash = ? and version <= ?
     )
     select version, null as type, null as schema_version, state as data from snapshot
     union all
     select ${foldColumns} from es_events
     where stream_type = ? and stream_id = ? and version <= ?
       and version > coalesce((select version from snapshot), 0)
     order by version`,
    [streamType, streamId, machineHash, toVersion, streamType, streamId, toVersion],
  );
  const [first] = rows;
  if (first && first.type === null) {
    const snapshot = { version: first.version, state: first.data as PersistedAggregateState };
    return { snapshot, events: await foldRowsToEvents(knex, schemas, stream, rows.slice(1)) };
  }
  return { events: await foldRowsToEvents(knex, schemas, stream, rows) };
};
