import type { Checkpoint } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';
import { eventRangeParams } from './eventRangeParams.js';
import { partitionOfStreamSql } from './partitionOfStreamSql.js';
import { type Db, query } from './sql.js';

export type Lag = { readonly events: number; readonly seconds: number };

const lagSql = `
  select count(*) as events, coalesce(extract(epoch from now() - min(recorded_at)), 0) as seconds
  from es_events
  where (transaction_id, global_position) > (?::xid8, ?::bigint)
    and (?::text[] is null or type = any(?::text[]))
    and (?::text[] is null or stream_type = any(?::text[]))
    and (?::int = 1 or ${partitionOfStreamSql('stream_id')} = ?::int)`;

/** The events past a checkpoint that a filter and partition let through, and the oldest one's age. */
export const countEventsAfter = async (
  db: Db,
  { after, filter, partition }: { after: Checkpoint; filter: EventFilter; partition: PartitionRef },
): Promise<Lag> => {
  const [lag] = await query<{ events: string; seconds: string }>(
    db,
    lagSql,
    eventRangeParams(after, filter, partition),
  );
  return { events: Number(lag?.events ?? 0), seconds: Math.max(0, Number(lag?.seconds ?? 0)) };
};
