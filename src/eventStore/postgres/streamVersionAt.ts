import type { StreamRef } from '../eventStore.js';
import { type Db, query } from './sql.js';

/**
 * The stream's version at `time`: its last event recorded at or before it, 0 when none was.
 * recorded_at grows with the version within a stream (an append waits for the one before it).
 */
export const streamVersionAt = async (
  db: Db,
  { streamType, streamId }: StreamRef,
  time: Date,
): Promise<number> => {
  const [row] = await query<{ version: number | null }>(
    db,
    `select max(version) as version from es_events
     where stream_type = ? and stream_id = ? and recorded_at <= ?`,
    [streamType, streamId, time.toISOString()],
  );
  return row?.version ?? 0;
};
