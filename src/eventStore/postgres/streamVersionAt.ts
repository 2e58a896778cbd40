import type { StreamRef } from '../eventStore.js';
import { type Db, query } from './sql.js';

/**
 * The stream's version at `time`: its last event recorded at or before it, 0 when none was.
 * recorded_at grows with the version within a stream (an append waits for the one before it); the
 * events of one append share it, hence the version as the tie-break. One descent of
 * es_events_stream_time, however long the stream: `max(version)` walked the stream back from its
 * head, testing recorded_at on every event after `time`.
 */
export const streamVersionAt = async (
  db: Db,
  { streamType, streamId }: StreamRef,
  time: Date,
): Promise<number> => {
  const [row] = await query<{ version: number | null }>(
    db,
    `select version from es_events
     where stream_type = ? and stream_id = ? and recorded_at <= ?
     order by recorded_at desc, version desc limit 1`,
    [streamType, streamId, time.toISOString()],
  );
  return row?.version ?? 0;
};
