import type { StreamRef } from '../eventStore.js';
import { type Db, query } from './sql.js';

export type SnapshotVersion = StreamRef & { readonly version: number; readonly machineHash: string };

/** The version and machine hash of each given stream's snapshot, in one query; streams without one are absent. */
export const readSnapshotVersions = async (
  db: Db,
  streams: readonly StreamRef[],
): Promise<SnapshotVersion[]> => {
  if (streams.length === 0) return [];
  const rows = await query<{ stream_type: string; stream_id: string; version: number; machine_hash: string }>(
    db,
    `select s.stream_type, s.stream_id, s.version, s.machine_hash
     from es_snapshots s join unnest(?::text[], ?::text[]) as h(stream_type, stream_id)
       on s.stream_type = h.stream_type and s.stream_id = h.stream_id`,
    [streams.map((stream) => stream.streamType), streams.map((stream) => stream.streamId)],
  );
  return rows.map((row) => ({
    streamType: row.stream_type,
    streamId: row.stream_id,
    version: row.version,
    machineHash: row.machine_hash,
  }));
};
