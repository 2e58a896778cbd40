import type { EventSchemas } from '../../eventSchemas/index.js';
import type { Checkpoint } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';
import { eventRangeParams } from './eventRangeParams.js';
import { partitionOfStreamSql } from './partitionOfStreamSql.js';
import { type Db, query } from './sql.js';
import { storedFilterOf } from './storedFilter.js';

export type Lag = { readonly events: number; readonly seconds: number };

/** Lag, and how many of those events wait above the horizon (committed, held back by an open writer). */
export type LagAndHeld = Lag & { readonly held: number };

const lagSql = `
  select count(*) as events, coalesce(extract(epoch from now() - min(recorded_at)), 0) as seconds,
    count(*) filter (where transaction_id >= ?::xid8) as held
  from es_events
  where (transaction_id, global_position) > (?::xid8, ?::bigint)
    and (?::text[] is null or type = any(?::text[]))
    and (?::text[] is null or stream_type = any(?::text[]))
    and (?::int = 1 or ${partitionOfStreamSql('stream_id')} = ?::int)`;

/**
 * The events past a checkpoint that a filter and partition let through, and the oldest one's age:
 * those a batch read takes, events stored under an old name of a filtered type included.
 */
export const countEventsAfter = async (
  db: Db,
  schemas: EventSchemas,
  {
    after,
    filter,
    partition,
    horizon,
  }: { after: Checkpoint; filter: EventFilter; partition: PartitionRef; horizon?: string },
): Promise<LagAndHeld> => {
  // without a horizon, the maximum xid8 counts none as held
  const [lag] = await query<{ events: string; seconds: string; held: string }>(db, lagSql, [
    horizon ?? '18446744073709551615',
    ...eventRangeParams(after, storedFilterOf(schemas, filter).filter, partition),
  ]);
  return {
    events: Number(lag?.events ?? 0),
    seconds: Math.max(0, Number(lag?.seconds ?? 0)),
    held: Number(lag?.held ?? 0),
  };
};
