import { openState, type StoredDataKeys } from '../../personalData/index.js';
import type { StoredSnapshot, StreamRef } from '../eventStore.js';
import { dataKeysSql, sealedStateSubjectsSql } from './dataKeysSql.js';
import { type Db, query } from './sql.js';

type Row = {
  version: number;
  machine_hash: string;
  state: StoredSnapshot['state'];
  taken_at: Date | string;
  data_keys: StoredDataKeys;
};

/**
 * The snapshots newer ones replaced (es_snapshot_history), most recently replaced first; a sealed
 * state (personal data) opened as readSnapshot opens it, and left out once a subject it was sealed
 * for is forgotten.
 */
export const readSnapshotHistory = async (knex: Db, { streamType, streamId }: StreamRef) => {
  const rows = await query<Row>(
    knex,
    `select version, machine_hash, state, taken_at, ${dataKeysSql(sealedStateSubjectsSql('state'))} as data_keys
     from es_snapshot_history
     where stream_type = ? and stream_id = ? order by replaced_at desc, version desc`,
    [streamType, streamId],
  );
  return rows.flatMap((row): StoredSnapshot[] => {
    const opened = openState(row.state, row.data_keys);
    if (opened.status === 'unreadable') return [];
    return [
      {
        streamType,
        streamId,
        version: row.version,
        machineHash: row.machine_hash,
        state: opened.state,
        takenAt: new Date(row.taken_at).toISOString(),
      },
    ];
  });
};
