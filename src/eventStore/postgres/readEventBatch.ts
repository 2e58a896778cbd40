import type { EventSchemas } from '../../eventSchemas/index.js';
import type { Checkpoint } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';
import { type BatchRequest, type BatchRow, batchOfRows, type EventBatch } from './eventBatch.js';
import { eventRangeParams } from './eventRangeParams.js';
import { horizonCte } from './horizonSql.js';
import { partitionOfStreamSql } from './partitionOfStreamSql.js';
import { eventColumns } from './rowToEvent.js';
import { type Db, query } from './sql.js';
import { storedFilterOf } from './storedFilter.js';

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
 * The whole stream's read of one event type: an ordered walk of es_events_type_order from the
 * checkpoint, so a page costs its own rows, and a type with no events (or none left) costs one
 * index descent. Planned for each read (never a prepared statement's generic plan): a generic plan
 * takes any type for a seventh of the store and walks the commit order filtering on it, which for
 * a type with no events read all 5.2 million rows (9-18 s); planned with the type in hand, the
 * type index wins for every type (0.06-3 ms at 5.2 million). The generic form above,
 * `(? is null or type = any(?))`, cannot use that index at all.
 */
const typeCtes = `${horizonCte},${tailSql},
  batch as (
    select e.transaction_id as order_transaction_id, ${eventColumns} from es_events e
    where e.type = ?::text
      and (e.transaction_id, e.global_position) > (?::xid8, ?::bigint)
      and e.transaction_id < (select xmin from horizon)
      and (?::text[] is null or e.stream_type = any(?::text[]))
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

/*
 * The checkpoint a read moves to, one row always: the batch's last event when it reached its limit,
 * else the end of a full window (partitioned), else the tail when it is past the checkpoint, else
 * the checkpoint itself. beginBatch moves the checkpoint to it in the same statement.
 */
const nextSql = (partitioned: boolean) => `
  next as materialized (
    select c.transaction_id, c.global_position from (
      select 1 as rank, l.order_transaction_id as transaction_id, l.global_position from (
        select order_transaction_id, global_position from batch
        order by order_transaction_id desc, global_position desc limit 1
      ) l where (select count(*) from batch) >= ?::int
      ${partitioned ? 'union all select 2, transaction_id, global_position from window_end' : ''}
      union all select 3, transaction_id, global_position from tail
        where (transaction_id, global_position) > (?::xid8, ?::bigint)
      union all select 4, ?::xid8, ?::bigint
    ) c order by c.rank limit 1
  )`;

const nextParams = ({ after, limit }: BatchRequest) => [
  limit,
  after.transactionId,
  after.globalPosition,
  after.transactionId,
  after.globalPosition,
];

const readColumns = `b.*, n.transaction_id::text as next_transaction_id, n.global_position as next_position,
    ${blockedSql}`;
const windowEndColumns = 'we.transaction_id::text as window_end_transaction_id';

/**
 * A batch read's statement in parts, so beginBatch can read and begin in one statement: its CTEs
 * (`tail`, `batch`, `next` and, partitioned, `window_end`), its columns, what they are selected
 * from (a row per event of the batch, or one row of nulls but `next` when none passed), and its
 * parameters.
 */
export type BatchStatement = {
  readonly partitioned: boolean;
  readonly ctes: string;
  readonly columns: string;
  readonly from: string;
  readonly params: readonly unknown[];
  /** The stored type names the read asks for (storedFilterOf), when the filter names types. */
  readonly storedTypes: readonly string[] | undefined;
};

/** The parts of the whole-stream and the partition reads that do not depend on the request. */
export const wholeStreamStatement = {
  partitioned: false,
  ctes: `${wholeStreamCtes},${nextSql(false)}`,
  columns: readColumns,
  from: 'next n left join batch b on true',
};
export const partitionStatement = {
  partitioned: true,
  ctes: `${partitionCtes},${nextSql(true)}`,
  columns: `${readColumns},\n    ${windowEndColumns}`,
  from: 'next n left join window_end we on true left join batch b on true',
};

/** In commit order, as the batch was read. */
export const batchOrder = 'order by b.order_transaction_id, b.global_position';

const readSql = (statement: Pick<BatchStatement, 'ctes' | 'columns' | 'from'>) => `with ${statement.ctes}
  select ${statement.columns}
  from ${statement.from}
  ${batchOrder}`;
const wholeStreamSql = readSql(wholeStreamStatement);
const partitionSql = readSql(partitionStatement);
const typeSql = readSql({
  ctes: `${typeCtes},${nextSql(false)}`,
  columns: readColumns,
  from: wholeStreamStatement.from,
});

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
export const batchStatement = (schemas: EventSchemas, request: BatchRequest): BatchStatement => {
  const { after, filter, partition, limit } = request;
  const stored = storedFilterOf(schemas, filter);
  return partition.count > 1
    ? {
        ...partitionStatement,
        params: [...partitionParams(after, stored.filter, partition, limit), ...nextParams(request)],
        storedTypes: stored.stored,
      }
    : {
        ...wholeStreamStatement,
        params: [...eventRangeParams(after, stored.filter, partition), limit, ...nextParams(request)],
        storedTypes: stored.stored,
      };
};

/** Reads the next batch of committed events after a checkpoint, never past an open transaction. */
export const readEventBatch = async (
  db: Db,
  schemas: EventSchemas,
  request: BatchRequest,
): Promise<EventBatch> => {
  const statement = batchStatement(schemas, request);
  const [onlyType, ...otherTypes] = statement.storedTypes ?? [];
  if (!statement.partitioned && onlyType !== undefined && otherTypes.length === 0) {
    const { after, filter, limit } = request;
    const streamTypes = filter.streamTypes ? [...filter.streamTypes] : null;
    const params = [onlyType, after.transactionId, after.globalPosition, streamTypes, streamTypes, limit];
    const rows = await query<BatchRow>(db, typeSql, [...params, ...nextParams(request)]);
    return batchOfRows(schemas, request, statement, rows);
  }
  const rows = statement.partitioned
    ? await query<BatchRow>(db, partitionSql, statement.params, 'chronicle_read_partition_batch')
    : await query<BatchRow>(db, wholeStreamSql, statement.params, 'chronicle_read_batch');
  return batchOfRows(schemas, request, statement, rows);
};
