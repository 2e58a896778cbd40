import type { Knex } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '../../messages/index.js';
import type { Checkpoint } from '../checkpoint.js';
import { readerLockKey } from './markReaderTransaction.js';
import { query } from './sql.js';
import { streamKey } from './subscriptionDeadLetters.js';

export type BatchStart = {
  readonly checkpoint?: {
    readonly checkpoint: Checkpoint;
    readonly status: string;
    readonly owner: string | null;
  };
  /** Streams of the batch with a dead letter in this subscription: their events are parked behind it. */
  readonly parked: Set<string>;
};

type Row = {
  transaction_id: string;
  global_position: string;
  status: string;
  owner: string | null;
  marked: string;
  parked: [string, string][];
};

/*
 * The first statement of a batch transaction, in one round trip: mark it as a reader (unless the
 * subscription appends), lock the partition's checkpoint row, and find which of the batch's streams
 * already have a dead letter here. Marking in the same statement as the row lock is safe either
 * way round: until the mark is visible the transaction merely counts as a possible appender.
 */
const beginSql = `
  with mark as materialized (
    select set_config('chronicle.reader', 'on', true), pg_advisory_xact_lock_shared(?, ?) where ?::boolean
  ),
  parked as (
    select distinct d.stream_type, d.stream_id from es_dead_letters d
    join unnest(?::text[], ?::text[]) as s(stream_type, stream_id)
      on d.stream_type = s.stream_type and d.stream_id = s.stream_id
    where d.subscription = ?
  )
  select c.transaction_id::text as transaction_id, c.global_position, c.status, c.owner,
    (select count(*) from mark) as marked,
    (select coalesce(json_agg(json_build_array(p.stream_type, p.stream_id)), '[]'::json) from parked p) as parked
  from es_checkpoints c where c.subscription = ? and c.partition = ?
  for update of c`;

export const beginBatch = async (
  tx: Knex.Transaction,
  target: { readonly name: string; readonly partition: number; readonly reader: boolean },
  events: readonly RecordedEvent[],
): Promise<BatchStart> => {
  const [row] = await query<Row>(
    tx,
    beginSql,
    [
      ...readerLockKey,
      target.reader,
      events.map((event) => event.streamType),
      events.map((event) => event.streamId),
      target.name,
      target.name,
      target.partition,
    ],
    'chronicle_begin_batch',
  );
  if (!row) return { parked: new Set() };
  return {
    checkpoint: {
      checkpoint: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
      status: row.status,
      owner: row.owner,
    },
    parked: new Set(row.parked.map(([streamType, streamId]) => streamKey({ streamType, streamId }))),
  };
};
