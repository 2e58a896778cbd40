import type { StoredSnapshot } from '../eventStore.js';
import { type Db, query } from './sql.js';

/** Upserts the latest snapshot; an older one (a slow snapshot worker) never replaces a newer. */
export const writeSnapshot = async (knex: Db, snapshot: Omit<StoredSnapshot, 'takenAt'>): Promise<void> => {
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
