import { type Db, query } from './sql.js';

/** A stream as the start page lists it: its type and id, its head version, when it last changed. */
export type RecentStream = {
  readonly streamType: string;
  readonly streamId: string;
  readonly version: number;
  readonly updatedAt: string;
};

type Row = { stream_type: string; stream_id: string; version: number; updated_at: Date };

const toHead = (row: Row): RecentStream => ({
  streamType: row.stream_type,
  streamId: row.stream_id,
  version: row.version,
  updatedAt: new Date(row.updated_at).toISOString(),
});

/**
 * The `limit` streams of each type appended to most recently, newest first, merged: per type a walk
 * of the newest `limit` entries of es_streams_recent, so the cost is types × limit rows whatever the
 * number of streams.
 */
export const readRecentStreams = async (
  db: Db,
  types: readonly string[],
  limit: number,
): Promise<RecentStream[]> => {
  const rows = await query<Row>(
    db,
    `select r.stream_type, r.stream_id, r.version, r.updated_at
     from unnest(?::text[]) as t(stream_type)
     cross join lateral (
       select stream_type, stream_id, version, updated_at from es_streams s
       where s.stream_type = t.stream_type order by updated_at desc limit ?
     ) r
     order by r.updated_at desc limit ?`,
    [[...types], limit, limit],
  );
  return rows.map(toHead);
};

/** The streams with this exact id, in each of `types`: one primary-key look-up per type. */
export const findStreamsById = async (
  db: Db,
  types: readonly string[],
  id: string,
): Promise<RecentStream[]> => {
  const rows = await query<Row>(
    db,
    `select stream_type, stream_id, version, updated_at from es_streams
     where stream_type = any(?::text[]) and stream_id = ? order by updated_at desc`,
    [[...types], id],
  );
  return rows.map(toHead);
};
