import { type Db, query } from './sql.js';

export type SnapshotPolicy = {
  readonly streamType: string;
  /** Snapshots of another machine hash count as none. */
  readonly machineHash: string;
  readonly snapshotEvery: number;
  readonly limit: number;
};

/** Ids of the streams of one type that have grown `snapshotEvery` past their snapshot, least recently active first. */
export const streamsDueForSnapshot = async (db: Db, policy: SnapshotPolicy): Promise<string[]> => {
  const rows = await query<{ stream_id: string }>(
    db,
    `select s.stream_id from es_streams s
     left join es_snapshots sn on sn.stream_type = s.stream_type and sn.stream_id = s.stream_id and sn.machine_hash = ?
     where s.stream_type = ? and s.version >= coalesce(sn.version, 0) + ?
     order by s.updated_at limit ?`,
    [policy.machineHash, policy.streamType, policy.snapshotEvery, policy.limit],
  );
  return rows.map((row) => row.stream_id);
};
