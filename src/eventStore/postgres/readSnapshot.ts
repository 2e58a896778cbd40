import type { PersistedAggregateState } from '../../aggregate/index.js';
import type { StoredSnapshot, StreamRef } from '../eventStore.js';
import { type Db, query } from './sql.js';

type SnapshotRow = {
  stream_type: string;
  stream_id: string;
  version: number;
  machine_hash: string;
  state: PersistedAggregateState;
  taken_at: Date | string;
};

export const readSnapshot = async (knex: Db, { streamType, streamId }: StreamRef) => {
  const [row] = await query<SnapshotRow>(
    knex,
    'select * from es_snapshots where stream_type = ? and stream_id = ?',
    [streamType, streamId],
  );
  if (!row) return undefined;
  const snapshot: StoredSnapshot = {
    streamType: row.stream_type,
    streamId: row.stream_id,
    version: row.version,
    machineHash: row.machine_hash,
    state: row.state,
    takenAt: new Date(row.taken_at).toISOString(),
  };
  return snapshot;
};
