import type { EventSchemas } from '../../eventSchemas/index.js';
import type { Checkpoint } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';
import { eventRangeParams } from './eventRangeParams.js';
import { partitionOfStreamSql } from './partitionOfStreamSql.js';
import { type Db, query } from './sql.js';
import { storedFilterOf } from './storedFilter.js';

export type Lag = {
  readonly events: number;
  readonly seconds: number;
  /**
   * `events` is estimated: more than LAG_WINDOW events follow the checkpoint, so the share of the
   * first LAG_WINDOW that the subscription reads is scaled to the positions between it and the head.
   */
  readonly estimated: boolean;
};

/** Lag, and how many of those events wait above the horizon (committed, held back by an open writer). */
export type LagAndHeld = Lag & { readonly held: number };

/** The events past a checkpoint the lag looks at: beyond them it is an estimate, so its cost is flat. */
export const LAG_WINDOW = 5_000;

/*
 * One ordered walk of at most LAG_WINDOW rows of es_events_transaction_order past the checkpoint,
 * whatever the store's size (counting every event past it read the whole backlog: 4.8 s per status
 * at 5.2 million events). The filter runs on the window; the head is one descent of the primary key.
 */
const lagSql = `
  with walked as (
    select type, stream_type, stream_id, transaction_id, recorded_at from es_events
    where (transaction_id, global_position) > (?::xid8, ?::bigint)
    order by transaction_id, global_position
    limit ?
  ), matched as (
    select transaction_id, recorded_at from walked
    where (?::text[] is null or type = any(?::text[]))
      and (?::text[] is null or stream_type = any(?::text[]))
      and (?::int = 1 or ${partitionOfStreamSql('stream_id')} = ?::int)
  )
  select (select count(*) from walked) as walked, count(*) as events,
    count(*) filter (where transaction_id >= ?::xid8) as held,
    coalesce(extract(epoch from now() - case when count(*) > 0 then min(recorded_at)
      when (select count(*) from walked) >= ?::int then (select max(recorded_at) from walked) end), 0) as seconds,
    (select max(global_position) from es_events) as head
  from matched`;

/**
 * The events past a checkpoint that a filter and partition let through (events stored under an
 * old name of a filtered type included), and the age of the oldest: exact up to LAG_WINDOW events
 * past the checkpoint, estimated beyond (see Lag). Past a full window with none of its events in
 * it, the age is the window's newest event's: the subscription has at least that far to read.
 */
export const readLag = async (
  db: Db,
  schemas: EventSchemas,
  {
    after,
    filter,
    partition,
    horizon,
  }: { after: Checkpoint; filter: EventFilter; partition: PartitionRef; horizon?: string },
): Promise<LagAndHeld> => {
  // the shared range's parameters, with the window's limit after the checkpoint's two
  const [transactionId, globalPosition, ...filterAndPartition] = eventRangeParams(
    after,
    storedFilterOf(schemas, filter).filter,
    partition,
  );
  const [row] = await query<{ walked: string; events: string; held: string; seconds: string; head: string }>(
    db,
    lagSql,
    [
      transactionId,
      globalPosition,
      LAG_WINDOW,
      ...filterAndPartition,
      // without a horizon, the maximum xid8 counts none as held
      horizon ?? '18446744073709551615',
      LAG_WINDOW,
    ],
  );
  const walked = Number(row?.walked ?? 0);
  const matched = Number(row?.events ?? 0);
  const estimated = walked >= LAG_WINDOW;
  const behind = Math.max(walked, Number(row?.head ?? 0) - after.globalPosition);
  return {
    events: estimated ? Math.round((matched / walked) * behind) : matched,
    seconds: Math.max(0, Number(row?.seconds ?? 0)),
    estimated,
    held: Number(row?.held ?? 0),
  };
};
