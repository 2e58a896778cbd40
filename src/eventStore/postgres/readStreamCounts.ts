import { type Db, query } from './sql.js';

export type StreamCount = { readonly streamType: string; readonly streams: number; readonly events: number };

/**
 * Streams and events per stream type, from the stream heads (one row per stream), so no count runs
 * over the event table itself.
 */
export const readStreamCounts = async (db: Db): Promise<StreamCount[]> => {
  const rows = await query<{ stream_type: string; streams: string; events: string }>(
    db,
    'select stream_type, count(*) as streams, coalesce(sum(version), 0) as events from es_streams group by stream_type order by stream_type',
  );
  return rows.map((row) => ({
    streamType: row.stream_type,
    streams: Number(row.streams),
    events: Number(row.events),
  }));
};
