import type { Knex } from '@mikro-orm/postgresql';
import type { PersistedAggregateState } from '../../aggregate/index.js';
import type { StoredSnapshot, StreamRef } from '../eventStore.js';
import { query } from './sql.js';

type SnapshotRow = {
  stream_type: string;
  stream_id: string;
  version: number;
  machine_hash: string;
  state: PersistedAggregateState;
  taken_at: Date | string;
};

export const readSnapshot = async (knex: Knex, { streamType, streamId }: StreamRef) => {
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

/** Upserts the latest snapshot; an older one (a slow snapshot worker) never replaces a newer. */
export const writeSnapshot = async (knex: Knex, snapshot: Omit<StoredSnapshot, 'takenAt'>): Promise<void> => {
  await query(
    knex,
    `insert into es_snapshots (stream_type, stream_id, version, machine_hash, state) values (?, ?, ?, ?, ?::jsonb)
     on conflict (stream_type, stream_id) do update
       set version = excluded.version, machine_hash = excluded.machine_hash, state = excluded.state, taken_at = now()
       where es_snapshots.version < excluded.version or es_snapshots.machine_hash <> excluded.machine_hash`,
    [
      snapshot.streamType,
      snapshot.streamId,
      snapshot.version,
      snapshot.machineHash,
      JSON.stringify(snapshot.state),
    ],
  );
};
