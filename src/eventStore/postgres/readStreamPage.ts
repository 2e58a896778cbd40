import type { StreamRef } from '../eventStore.js';
import { type Db, query } from './sql.js';

export type StreamPage = {
  readonly streamTypes: readonly string[];
  /** The last stream of the page before (keyset): this page starts after it. */
  readonly after?: StreamRef;
  /** Only streams appended to at or after this time. */
  readonly since?: Date;
  readonly limit: number;
};

/** Streams of these types in (stream type, stream id) order, a page at a time, with their versions. */
export const readStreamPage = async (
  db: Db,
  { streamTypes, after, since, limit }: StreamPage,
): Promise<(StreamRef & { readonly version: number })[]> => {
  const rows = await query<{ stream_type: string; stream_id: string; version: number }>(
    db,
    `select stream_type, stream_id, version from es_streams
     where stream_type = any(?::text[]) and (stream_type, stream_id) > (?, ?)
       and (?::timestamptz is null or updated_at >= ?::timestamptz)
     order by stream_type, stream_id
     limit ?`,
    [
      streamTypes,
      after?.streamType ?? '',
      after?.streamId ?? '',
      since?.toISOString() ?? null,
      since?.toISOString() ?? null,
      limit,
    ],
  );
  return rows.map((row) => ({ streamType: row.stream_type, streamId: row.stream_id, version: row.version }));
};
