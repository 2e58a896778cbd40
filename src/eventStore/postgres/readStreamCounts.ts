import { type Db, query } from './sql.js';

export type StreamCount = { readonly streamType: string; readonly streams: number; readonly events: number };

/**
 * Streams and events per stream type, from the counters appends maintain (es_stream_counts: a few
 * rows per stream type), so the cost does not grow with the store (summing the stream heads read
 * one row per stream: 145 ms at a million streams).
 */
export const readStreamCounts = async (db: Db): Promise<StreamCount[]> => {
  const rows = await query<{ stream_type: string; streams: string; events: string }>(
    db,
    'select stream_type, sum(streams) as streams, sum(events) as events from es_stream_counts group by stream_type order by stream_type',
  );
  return rows.map((row) => ({
    streamType: row.stream_type,
    streams: Number(row.streams),
    events: Number(row.events),
  }));
};
