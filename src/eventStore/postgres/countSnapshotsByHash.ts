import { type Db, query } from './sql.js';

/** How many snapshots of a stream type were taken under one machine hash, and the events they cover. */
export type SnapshotHashCount = {
  readonly streamType: string;
  readonly machineHash: string;
  readonly snapshots: number;
  /** The sum of their versions: the events a fold replays when they no longer count. */
  readonly events: number;
};

/** The snapshots of these stream types, counted by machine hash. */
export const countSnapshotsByHash = async (
  db: Db,
  streamTypes: readonly string[],
): Promise<SnapshotHashCount[]> => {
  const rows = await query<{ stream_type: string; machine_hash: string; snapshots: number; events: string }>(
    db,
    `select stream_type, machine_hash, count(*)::int as snapshots, coalesce(sum(version), 0)::text as events
     from es_snapshots where stream_type = any(?::text[])
     group by stream_type, machine_hash
     order by stream_type, machine_hash`,
    [streamTypes],
  );
  return rows.map((row) => ({
    streamType: row.stream_type,
    machineHash: row.machine_hash,
    snapshots: row.snapshots,
    events: Number(row.events),
  }));
};
