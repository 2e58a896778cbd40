import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import { type BatchRequest, type BatchRow, batchOfRows, type EventBatch } from './eventBatch.js';
import { readerLockKey } from './markReaderTransaction.js';
import {
  type BatchStatement,
  batchOrder,
  batchStatement,
  partitionStatement,
  wholeStreamStatement,
} from './readEventBatch.js';
import { query } from './sql.js';
import { streamKey } from './subscriptionDeadLetters.js';

/** Whose checkpoint a batch moves, and how long the move renews its lease. */
export type CheckpointMove = {
  readonly name: string;
  readonly partition: number;
  readonly owner: string;
  readonly ttlMs: number;
};

export type BatchStart =
  /**
   * The checkpoint was not where the batch was read from, or the partition is no longer ours:
   * nothing moved. `events` is what the read found, for the batch's span; they are not ours.
   */
  | { readonly status: 'stale'; readonly events: readonly RecordedEvent[] }
  | {
      readonly status: 'begun';
      /** What readEventBatch would have read; `next` is where the checkpoint now stands. */
      readonly batch: EventBatch;
      /** Streams of the batch with a dead letter in this subscription: their events are parked behind it. */
      readonly parked: Set<string>;
    };

type Row = BatchRow & {
  must_move: boolean;
  moved: number;
  parked: [string, string][];
};

/*
 * A batch's read and the first work of its transaction, in one statement (one snapshot, one round
 * trip): the read (readEventBatch's, below the same horizon, with its `next`); the reader mark
 * (unless the subscription appends); the compare-and-set move of the partition's checkpoint to
 * `next` (still ours, still where the batch was read from; the transaction commits the handler's
 * writes with it or nothing), skipped when the read ends where it started; and which of the
 * batch's streams already have a dead letter here. Moving in the first statement takes the row
 * lock first, so a takeover or a reset waits for the batch. The statement's snapshot is taken
 * before the move gives the transaction its id, so the read never waits for its own transaction;
 * the mark is asked for before the move, and either way round is safe: until the mark is visible
 * the transaction merely counts as a possible appender.
 *
 * A reader's batch commits without waiting for its WAL flush (synchronous_commit off, this
 * transaction only): it writes nothing but read models and its checkpoint, which a crash of the
 * database can only lose together, so the batch is handled again, never twice
 * (docs/decisions.md, "Read-model batches commit asynchronously").
 */
const beginSql = ({ ctes, columns, from }: Pick<BatchStatement, 'ctes' | 'columns' | 'from'>) => `
  with ${ctes},
  mark as materialized (
    select set_config('chronicle.reader', 'on', true), set_config('synchronous_commit', 'off', true),
      pg_advisory_xact_lock_shared(?, ?)
    where ?::boolean
  ),
  parked as (
    select distinct d.stream_type, d.stream_id from es_dead_letters d
    join batch s on d.stream_type = s.stream_type and d.stream_id = s.stream_id
    where d.subscription = ?
  ),
  moved as (
    update es_checkpoints c
    set transaction_id = n.transaction_id, global_position = n.global_position, attempts = 0,
      last_error = null, waiting = null, updated_at = now(), lease_expires_at = now() + ? * interval '1 millisecond'
    from next n
    where c.subscription = ? and c.partition = ? and c.owner = ? and c.status = 'active'
      and c.transaction_id = ?::xid8 and c.global_position = ?
      and (n.transaction_id, n.global_position) > (?::xid8, ?::bigint)
    returning c.partition
  )
  select ${columns},
    (n.transaction_id, n.global_position) > (?::xid8, ?::bigint) as must_move,
    (select count(*) from mark) as marked,
    (select count(*) from moved)::int as moved,
    (select coalesce(json_agg(json_build_array(p.stream_type, p.stream_id)), '[]'::json) from parked p) as parked
  from ${from}
  ${batchOrder}`;

/** Each layout's statement text (each a prepared statement of its own). */
const wholeStreamBeginSql = beginSql(wholeStreamStatement);
const partitionBeginSql = beginSql(partitionStatement);

/**
 * The first statement of a batch transaction: reads the batch after `request.after` and moves the
 * checkpoint past it (see beginSql). A partition's read costs one round trip, not a read before
 * the transaction and a move inside it.
 */
export const beginBatch = async (
  tx: Knex.Transaction,
  schemas: EventSchemas,
  request: BatchRequest,
  target: CheckpointMove & { readonly reader: boolean },
): Promise<BatchStart> => {
  const statement = batchStatement(schemas, request);
  const { partitioned } = statement;
  const { after } = request;
  const rows = await query<Row>(
    tx,
    partitioned ? partitionBeginSql : wholeStreamBeginSql,
    [
      ...statement.params,
      ...readerLockKey,
      target.reader,
      target.name,
      target.ttlMs,
      target.name,
      target.partition,
      target.owner,
      after.transactionId,
      after.globalPosition,
      after.transactionId,
      after.globalPosition,
      after.transactionId,
      after.globalPosition,
    ],
    partitioned ? 'chronicle_begin_partition_batch' : 'chronicle_begin_batch',
  );
  const batch = batchOfRows(schemas, request, statement, rows);
  const [first] = rows;
  if (!first || (first.must_move && first.moved !== 1)) return { status: 'stale', events: batch.events };
  return {
    status: 'begun',
    batch,
    parked: new Set(first.parked.map(([streamType, streamId]) => streamKey({ streamType, streamId }))),
  };
};
