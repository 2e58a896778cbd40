import type { StreamRef } from '../eventStore.js';
import { type Db, query } from './sql.js';

/** The stream's version from its head row: 0 for a stream with no events yet. */
export const streamVersion = async (knex: Db, { streamType, streamId }: StreamRef): Promise<number> => {
  const [row] = await query<{ version: number }>(
    knex,
    'select version from es_streams where stream_type = ? and stream_id = ?',
    [streamType, streamId],
  );
  return row?.version ?? 0;
};
