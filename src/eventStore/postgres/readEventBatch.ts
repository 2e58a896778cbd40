import { type EventSchemas, storedTypeNames } from '../../eventSchemas/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import { type Checkpoint, compareCheckpoints } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';
import { eventRangeParams } from './eventRangeParams.js';
import { horizonCte } from './horizonSql.js';
import { partitionOfStreamSql } from './partitionOfStreamSql.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { type Db, query } from './sql.js';

export type BatchRequest = {
  readonly after: Checkpoint;
  readonly filter: EventFilter;
  readonly partition: PartitionRef;
  readonly limit: number;
};

export type EventBatch = {
  /** In (transaction_id, global_position) order: per stream, in version order. */
  readonly events: readonly RecordedEvent[];
  /**
   * The checkpoint to store once these events are handled: the last event when the batch is full,
   * else the newest position below the horizon (the query saw every matching event up to it).
   */
  readonly next: Checkpoint;
  readonly full: boolean;
  /** Committed events wait above the horizon, held back by an older transaction still open. */
  readonly blocked: boolean;
};

type BatchRow = Partial<EventRow> & {
  tail_transaction_id: string;
  tail_position: string;
  blocked: boolean;
};

/*
 * One statement = one snapshot, so the batch, the tail and the blocked flag all agree on the
 * horizon (horizonSql says which transactions it waits for). The horizon is a scalar subquery (not
 * a join), so each comparison with it is an index condition; `blocked` is an ordered `limit 1`, not
 * `exists`, which the planner would answer with a scan.
 */
const batchSql = `
  with ${horizonCte},
  tail as (
    select transaction_id, global_position from es_events
    where transaction_id < (select xmin from horizon)
    order by transaction_id desc, global_position desc limit 1
  ),
  batch as (
    select e.transaction_id as order_transaction_id, ${eventColumns} from es_events e
    where (e.transaction_id, e.global_position) > (?::xid8, ?::bigint)
      and e.transaction_id < (select xmin from horizon)
      and (?::text[] is null or e.type = any(?::text[]))
      and (?::text[] is null or e.stream_type = any(?::text[]))
      and (?::int = 1 or ${partitionOfStreamSql('e.stream_id')} = ?::int)
    -- qualified: unqualified, "transaction_id" would name the text output column and sort as text
    order by e.transaction_id, e.global_position
    limit ?
  )
  select b.*, t.transaction_id::text as tail_transaction_id, t.global_position as tail_position,
    (select transaction_id from es_events where transaction_id >= (select xmin from horizon)
     order by transaction_id limit 1) is not null as blocked
  from tail t left join batch b on true
  order by b.order_transaction_id, b.global_position`;

/** Reads the next batch of committed events after a checkpoint, never past an open transaction. */
export const readEventBatch = async (
  db: Db,
  schemas: EventSchemas,
  { after, filter, partition, limit }: BatchRequest,
): Promise<EventBatch> => {
  // an event type is also looked for under its old names; once upcast, only the asked types stay
  const stored = filter.eventTypes && storedTypeNames(schemas, filter.eventTypes);
  const storedFilter = stored ? { ...filter, eventTypes: stored } : filter;
  const rows = await query<BatchRow>(db, batchSql, [
    ...eventRangeParams(after, storedFilter, partition),
    limit,
  ]);
  const [first] = rows;
  // no row at all: nothing below the horizon yet
  if (!first) return { events: [], next: after, full: false, blocked: false };
  const read = rows
    .filter((row) => row.global_position != null)
    .map((row) => rowToEvent(row as EventRow, schemas));
  const last = read.at(-1);
  const full = read.length >= limit;
  const tail = { transactionId: first.tail_transaction_id, globalPosition: Number(first.tail_position) };
  const next =
    full && last
      ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
      : compareCheckpoints(tail, after) > 0
        ? tail
        : after;
  const asked = filter.eventTypes;
  const events =
    asked && stored && stored.length > asked.length
      ? read.filter((event) => asked.includes(event.type))
      : read;
  return { events, next, full, blocked: first.blocked };
};
