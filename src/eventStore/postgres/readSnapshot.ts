import type { PersistedAggregateState } from '../../aggregate/index.js';
import { openState, type StoredDataKeys } from '../../personalData/index.js';
import type { StoredSnapshot, StreamRef } from '../eventStore.js';
import { dataKeysSql, sealedStateSubjectsSql } from './dataKeysSql.js';
import { type Db, query } from './sql.js';

type SnapshotRow = {
  stream_type: string;
  stream_id: string;
  version: number;
  machine_hash: string;
  state: PersistedAggregateState;
  taken_at: Date | string;
  data_keys: StoredDataKeys;
};

/**
 * A stream's snapshot, its state opened when it is sealed (personal data); none when one of the
 * subjects it was sealed for has been forgotten.
 */
export const readSnapshot = async (knex: Db, { streamType, streamId }: StreamRef) => {
  const [row] = await query<SnapshotRow>(
    knex,
    `select *, ${dataKeysSql(sealedStateSubjectsSql('state'))} as data_keys
     from es_snapshots where stream_type = ? and stream_id = ?`,
    [streamType, streamId],
  );
  if (!row) return undefined;
  const opened = openState(row.state, row.data_keys);
  if (opened.status === 'unreadable') return undefined;
  const snapshot: StoredSnapshot = {
    streamType: row.stream_type,
    streamId: row.stream_id,
    version: row.version,
    machineHash: row.machine_hash,
    state: opened.state,
    takenAt: new Date(row.taken_at).toISOString(),
  };
  return snapshot;
};
