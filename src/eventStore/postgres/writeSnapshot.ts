import { type EventSchemas, noEventSchemas } from '../../eventSchemas/index.js';
import type { StoredSnapshot } from '../eventStore.js';
import { sealSnapshot } from './sealSnapshot.js';
import { type Db, query } from './sql.js';

/**
 * Upserts the latest snapshot; an older one (a slow snapshot worker) never replaces a newer. The
 * stream's head learns the version stored (`snapshot_version`), which is how the sweep finds the
 * streams due (streamsDueForSnapshot). A state holding personal data is sealed (sealSnapshot), and
 * not written when one of its subjects was forgotten.
 */
export const writeSnapshot = async (
  knex: Db,
  snapshot: Omit<StoredSnapshot, 'takenAt'>,
  schemas: EventSchemas = noEventSchemas,
): Promise<void> => {
  const sealed = await sealSnapshot(knex, schemas, snapshot);
  if (sealed === 'skip') return;
  await query(
    knex,
    `with written as (
       insert into es_snapshots (stream_type, stream_id, version, machine_hash, state) values (?, ?, ?, ?, ?::jsonb)
       on conflict (stream_type, stream_id) do update
         set version = excluded.version, machine_hash = excluded.machine_hash, state = excluded.state, taken_at = now()
         where es_snapshots.version < excluded.version or es_snapshots.machine_hash <> excluded.machine_hash
       returning stream_type, stream_id, version
     )
     update es_streams s set snapshot_version = w.version
     from written w where s.stream_type = w.stream_type and s.stream_id = w.stream_id`,
    [
      snapshot.streamType,
      snapshot.streamId,
      snapshot.version,
      snapshot.machineHash,
      JSON.stringify(sealed.state),
    ],
  );
};
