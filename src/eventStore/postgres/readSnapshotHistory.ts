import type { StoredSnapshot, StreamRef } from '../eventStore.js';
import { type Db, query } from './sql.js';

type Row = {
  version: number;
  machine_hash: string;
  state: StoredSnapshot['state'];
  taken_at: Date | string;
};

/** The snapshots newer ones replaced (es_snapshot_history), most recently replaced first. */
export const readSnapshotHistory = async (knex: Db, { streamType, streamId }: StreamRef) => {
  const rows = await query<Row>(
    knex,
    `select version, machine_hash, state, taken_at from es_snapshot_history
     where stream_type = ? and stream_id = ? order by replaced_at desc, version desc`,
    [streamType, streamId],
  );
  return rows.map(
    (row): StoredSnapshot => ({
      streamType,
      streamId,
      version: row.version,
      machineHash: row.machine_hash,
      state: row.state,
      takenAt: new Date(row.taken_at).toISOString(),
    }),
  );
};
