import type { Knex } from '@mikro-orm/postgresql';
import { noEventSchemas } from '../../eventSchemas/index.js';
import { type Checkpoint, readEventBatch, startOfStream, wholeStream } from '../../eventStore/index.js';

/**
 * Where "from now" starts: the newest committed event below the horizon. A batch of zero events
 * still reports that tail (readEventBatch computes it in the same snapshot), so every event
 * committed after this call, or held back above the horizon, is still ahead of it.
 */
export const streamTail = async (db: Knex): Promise<Checkpoint> =>
  // zero events are read: no schema is needed to find the tail
  (
    await readEventBatch(db, noEventSchemas, {
      after: startOfStream,
      filter: {},
      partition: wholeStream,
      limit: 0,
    })
  ).next;
