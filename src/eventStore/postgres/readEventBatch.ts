import type { EventSchemas } from '../../eventSchemas/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import { type Checkpoint, compareCheckpoints } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';
import { eventRangeParams } from './eventRangeParams.js';
import { horizonCte } from './horizonSql.js';
import { partitionOfStreamSql } from './partitionOfStreamSql.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { type Db, query } from './sql.js';
import { storedFilterOf } from './storedFilter.js';

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

export type BatchRow = Partial<EventRow> & {
  tail_transaction_id: string | null;
  tail_position: string | null;
  blocked: boolean;
  /** Partitioned reads: the last row of a full window (none when the window is not full). */
  window_end_transaction_id?: string | null;
  window_end_position?: string | null;
};

const tailSql = `
  tail as (
    select transaction_id, global_position from es_events
    where transaction_id < (select xmin from horizon)
    order by transaction_id desc, global_position desc limit 1
  )`;

const blockedSql = `(select transaction_id from es_events where transaction_id >= (select xmin from horizon)
     order by transaction_id limit 1) is not null as blocked`;

/*
 * One statement = one snapshot, so the batch, the tail and the blocked flag all agree on the
 * horizon (horizonSql says which transactions it waits for). The horizon is a scalar subquery (not
 * a join), so each comparison with it is an index condition; `blocked` is an ordered \`limit 1\`, not
 * \`exists\`, which the planner would answer with a scan.
 */
const wholeStreamCtes = `${horizonCte},${tailSql},
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
  )`;

/*
 * A partition's read walks a window of the next rows in commit order (about its limit times the
 * partition count, see partitionParams) and keeps its own. Asked for "the partition's next rows in order", the planner has no
 * statistics on the stream hash, takes it for a rare condition, and fetched and sorted every row
 * after the checkpoint instead of walking the index: per batch, so catching up was quadratic in the
 * backlog. The window's limit sits below the filter, so a read costs at most the window whatever
 * the plan. `window_end` (the window's last row, there only when the window is full) is where the
 * partition has seen everything up to, when fewer than its limit matched.
 */
const partitionCtes = `${horizonCte},${tailSql},
  window_end as (
    select transaction_id, global_position from es_events
    where (transaction_id, global_position) > (?::xid8, ?::bigint)
      and transaction_id < (select xmin from horizon)
    order by transaction_id, global_position
    offset ? limit 1
  ),
  batch as (
    select * from (
      select e.transaction_id as order_transaction_id, ${eventColumns} from es_events e
      where (e.transaction_id, e.global_position) > (?::xid8, ?::bigint)
        and e.transaction_id < (select xmin from horizon)
      order by e.transaction_id, e.global_position
      limit ?
    ) w
    where (?::text[] is null or w.type = any(?::text[]))
      and (?::text[] is null or w.stream_type = any(?::text[]))
      and ${partitionOfStreamSql('w.stream_id')} = ?::int
    order by w.order_transaction_id, w.global_position
    limit ?
  )`;

const tailColumns = `b.*, t.transaction_id::text as tail_transaction_id, t.global_position as tail_position,
    ${blockedSql}`;
const windowEndColumns = `we.transaction_id::text as window_end_transaction_id, we.global_position as window_end_position`;

/**
 * A batch read's statement in parts, so beginBatch can read and begin in one statement: its CTEs
 * (`tail`, `batch` and, partitioned, `window_end`), its columns, the joins after `tail t`, and its
 * parameters.
 */
export type BatchStatement = {
  readonly partitioned: boolean;
  readonly ctes: string;
  readonly columns: string;
  readonly joins: string;
  readonly params: readonly unknown[];
};

const wholeStreamStatement = {
  partitioned: false,
  ctes: wholeStreamCtes,
  columns: tailColumns,
  joins: 'left join batch b on true',
};
const partitionStatement = {
  partitioned: true,
  ctes: partitionCtes,
  columns: `${tailColumns},\n    ${windowEndColumns}`,
  joins: 'left join window_end we on true left join batch b on true',
};

const order = 'order by b.order_transaction_id, b.global_position';
const wholeStreamSql = `with ${wholeStreamCtes}
  select ${wholeStreamStatement.columns}
  from tail t ${wholeStreamStatement.joins}
  ${order}`;
const partitionSql = `with ${partitionCtes}
  select ${partitionStatement.columns}
  from tail t ${partitionStatement.joins}
  ${order}`;

/**
 * Rows a partition's read may walk: its share of the window is its limit, and at least
 * `MIN_WINDOW_SHARE` rows, so small batches do not spend a round trip on a window holding none of
 * theirs. The read still stops at its limit.
 */
const MIN_WINDOW_SHARE = 500;

const partitionParams = (after: Checkpoint, filter: EventFilter, partition: PartitionRef, limit: number) => {
  const window = Math.max(limit, MIN_WINDOW_SHARE) * partition.count;
  const eventTypes = filter.eventTypes ? [...filter.eventTypes] : null;
  const streamTypes = filter.streamTypes ? [...filter.streamTypes] : null;
  return [
    after.transactionId,
    after.globalPosition,
    Math.max(0, window - 1),
    after.transactionId,
    after.globalPosition,
    window,
    eventTypes,
    eventTypes,
    streamTypes,
    streamTypes,
    partition.count,
    partition.index,
    limit,
  ];
};

/** The statement that reads a batch, in parts (see BatchStatement). */
export const batchStatement = (
  schemas: EventSchemas,
  { after, filter, partition, limit }: BatchRequest,
): BatchStatement => {
  const stored = storedFilterOf(schemas, filter).filter;
  return partition.count > 1
    ? { ...partitionStatement, params: partitionParams(after, stored, partition, limit) }
    : { ...wholeStreamStatement, params: [...eventRangeParams(after, stored, partition), limit] };
};

/**
 * The batch in a read's rows (a row per event, or one row of nulls but the tail's when none
 * passed). `tail_transaction_id` is null when nothing at all is below the horizon.
 */
export const batchOfRows = (
  schemas: EventSchemas,
  { after, filter, limit }: BatchRequest,
  rows: readonly BatchRow[],
): EventBatch => {
  const [first] = rows;
  // no row at all: nothing below the horizon yet
  if (!first) return { events: [], next: after, full: false, blocked: false };
  const read = rows
    .filter((row) => row.global_position != null)
    .map((row) => rowToEvent(row as EventRow, schemas));
  const last = read.at(-1);
  const tail =
    first.tail_transaction_id != null
      ? { transactionId: first.tail_transaction_id, globalPosition: Number(first.tail_position) }
      : after;
  // a partition's window ended before its batch filled: everything up to the window's end was seen
  const windowEnd =
    first.window_end_transaction_id != null
      ? { transactionId: first.window_end_transaction_id, globalPosition: Number(first.window_end_position) }
      : undefined;
  const full = read.length >= limit || windowEnd !== undefined;
  const next =
    read.length >= limit && last
      ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
      : (windowEnd ?? (compareCheckpoints(tail, after) > 0 ? tail : after));
  const asked = filter.eventTypes;
  const { stored } = storedFilterOf(schemas, filter);
  const events =
    asked && stored && stored.length > asked.length
      ? read.filter((event) => asked.includes(event.type))
      : read;
  return { events, next, full, blocked: first.blocked };
};

/** Reads the next batch of committed events after a checkpoint, never past an open transaction. */
export const readEventBatch = async (
  db: Db,
  schemas: EventSchemas,
  request: BatchRequest,
): Promise<EventBatch> => {
  const statement = batchStatement(schemas, request);
  const rows = statement.partitioned
    ? await query<BatchRow>(db, partitionSql, statement.params, 'chronicle_read_partition_batch')
    : await query<BatchRow>(db, wholeStreamSql, statement.params, 'chronicle_read_batch');
  return batchOfRows(schemas, request, rows);
};
