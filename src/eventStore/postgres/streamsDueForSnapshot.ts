import { type Db, query } from './sql.js';

export type SnapshotPolicy = {
  readonly streamType: string;
  /** Snapshots of another machine hash count as none. */
  readonly machineHash: string;
  readonly snapshotEvery: number;
  readonly limit: number;
};

/*
 * Two index ranges, each holding only streams that are due, so a sweep with nothing due reads
 * nothing (scanning the heads of the type read every one: 137-207 ms at a million streams):
 * heads at least `snapshotEvery` past their stored snapshot (es_streams_snapshot_due), and streams
 * whose snapshot was taken under another machine (es_snapshots_machine; `<>` written as two ranges
 * so it is an index condition), which count as having none.
 */
const dueSql = `
  select stream_id from (
    select s.stream_id, s.updated_at from es_streams s
    where s.stream_type = ? and s.version - s.snapshot_version >= ?
    union
    select s.stream_id, s.updated_at from es_snapshots sn
    join es_streams s on s.stream_type = sn.stream_type and s.stream_id = sn.stream_id
    where sn.stream_type = ? and (sn.machine_hash < ? or sn.machine_hash > ?) and s.version >= ?
  ) due
  order by updated_at limit ?`;

/** Ids of the streams of one type that have grown `snapshotEvery` past their snapshot, least recently active first. */
export const streamsDueForSnapshot = async (db: Db, policy: SnapshotPolicy): Promise<string[]> => {
  const { streamType, machineHash, snapshotEvery, limit } = policy;
  const rows = await query<{ stream_id: string }>(db, dueSql, [
    streamType,
    snapshotEvery,
    streamType,
    machineHash,
    machineHash,
    snapshotEvery,
    limit,
  ]);
  return rows.map((row) => row.stream_id);
};
