import type { Knex } from '@mikro-orm/postgresql';
import type { PersistedAggregateState } from '../../aggregate/index.js';
import type { EventSchemas } from '../../eventSchemas/index.js';
import { openState } from '../../personalData/index.js';
import type { ReadStreamOptions, StreamRef, ToFold } from '../eventStore.js';
import { dataKeysSql, sealedStateSubjectsSql } from './dataKeysSql.js';
import { type FoldRow, foldColumns, foldRowsToEvents } from './foldRows.js';
import { readStreamToFold } from './readStreamToFold.js';
import { query } from './sql.js';

const byVersion = (a: FoldRow, b: FoldRow) => a.version - b.version;

/**
 * What hydrating a stream folds, in one statement (one round trip, which is most of a hydration
 * from a recent snapshot): the latest snapshot taken with `machineHash` and not past `toVersion`,
 * as a row with no type (its state opened when sealed), and the events after it up to `toVersion`. Put in version order here, not
 * by the statement: PostgreSQL sorted the union's 10,000 wide rows (two thirds of its execution
 * time) where the events come in index order already, which JavaScript's sort checks in one pass.
 * Prepared: its planning cost a quarter of a hydration from a recent snapshot.
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
     select version, null as type, null::int as schema_version, state as data,
       ${dataKeysSql(sealedStateSubjectsSql('state'))} as data_keys from snapshot
     union all
     select ${foldColumns} from es_events
     where stream_type = ? and stream_id = ? and version <= ?
       and version > coalesce((select version from snapshot), 0)`,
    [streamType, streamId, machineHash, toVersion, streamType, streamId, toVersion],
    'chronicle_read_to_fold',
  );
  const stored = rows.find((row) => row.type === null);
  const eventRows = (stored ? rows.filter((row) => row !== stored) : rows).sort(byVersion);
  const events = await foldRowsToEvents(knex, schemas, stream, eventRows);
  if (!stored) return { events };
  const opened = openState(stored.data as PersistedAggregateState, stored.data_keys);
  // sealed for a subject forgotten since: the events from the first, that subject's fields redacted
  if (opened.status === 'unreadable')
    return { events: await readStreamToFold(knex, schemas, stream, { toVersion }) };
  return { snapshot: { version: stored.version, state: opened.state }, events };
};
