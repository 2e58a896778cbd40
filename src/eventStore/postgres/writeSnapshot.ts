import { type EventSchemas, noEventSchemas } from '../../eventSchemas/index.js';
import { DEFAULT_SNAPSHOT_HISTORY, type SnapshotWritten, type StoredSnapshot } from '../eventStore.js';
import { sealSnapshot } from './sealSnapshot.js';
import { type Db, query } from './sql.js';

/**
 * Upserts the latest snapshot; an older one (a slow snapshot worker) never replaces a newer. The
 * one it replaces moves to es_snapshot_history, which keeps the stream's `keep - 1` most recently
 * replaced (older ones are deleted and counted in `pruned`). The stream's head learns the version
 * stored (`snapshot_version`), which is how the sweep finds the streams due (streamsDueForSnapshot).
 * One statement: its parts see the tables as they were before it, so the prune ranks the history
 * with the snapshot moved into it by hand. A state holding personal data is sealed (sealSnapshot),
 * and not written when one of its subjects was forgotten.
 */
export const writeSnapshot = async (
  knex: Db,
  snapshot: Omit<StoredSnapshot, 'takenAt'>,
  keep: number = DEFAULT_SNAPSHOT_HISTORY,
  schemas: EventSchemas = noEventSchemas,
): Promise<SnapshotWritten> => {
  const { streamType, streamId } = snapshot;
  const sealed = await sealSnapshot(knex, schemas, snapshot);
  if (sealed === 'skip') return { pruned: 0 };
  const [row] = await query<{ pruned: number }>(
    knex,
    `with previous as (
       select version, machine_hash, state, taken_at from es_snapshots
       where stream_type = ? and stream_id = ? for update
     ), written as (
       -- reads \`previous\` first, so its lock is taken before the upsert (a row this statement has
       -- already changed is invisible to a locking read) and a concurrent writer waits for it
       insert into es_snapshots (stream_type, stream_id, version, machine_hash, state)
       select ?, ?, ?::int, ?, ?::jsonb from (select count(*) from previous) locked
       on conflict (stream_type, stream_id) do update
         set version = excluded.version, machine_hash = excluded.machine_hash, state = excluded.state, taken_at = now()
         where es_snapshots.version < excluded.version or es_snapshots.machine_hash <> excluded.machine_hash
       returning stream_type, stream_id, version
     ), replaced as (
       select p.*, now() as replaced_at from previous p where exists (select 1 from written)
     ), kept as (
       select version, machine_hash from (
         select version, machine_hash, replaced_at from replaced
         union all
         select version, machine_hash, replaced_at from es_snapshot_history
         where stream_type = ? and stream_id = ? and exists (select 1 from written)
       ) h order by replaced_at desc, version desc limit ?
     ), moved as (
       insert into es_snapshot_history (stream_type, stream_id, version, machine_hash, state, taken_at)
       select ?, ?, r.version, r.machine_hash, r.state, r.taken_at from replaced r
       where (r.version, r.machine_hash) in (select version, machine_hash from kept)
       on conflict do nothing
     ), pruned as (
       delete from es_snapshot_history h
       where h.stream_type = ? and h.stream_id = ? and exists (select 1 from written)
         and (h.version, h.machine_hash) not in (select version, machine_hash from kept)
       returning 1
     ), head as (
       update es_streams s set snapshot_version = w.version
       from written w where s.stream_type = w.stream_type and s.stream_id = w.stream_id
     )
     select ((select count(*) from pruned)
       + (select count(*) from replaced where (version, machine_hash) not in (select version, machine_hash from kept)))::int
       as pruned`,
    [
      streamType,
      streamId,
      streamType,
      streamId,
      snapshot.version,
      snapshot.machineHash,
      JSON.stringify(sealed.state),
      streamType,
      streamId,
      Math.max(0, keep - 1),
      streamType,
      streamId,
      streamType,
      streamId,
    ],
  );
  return { pruned: row?.pruned ?? 0 };
};
