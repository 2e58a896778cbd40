import type { Knex } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '../../messages/index.js';
import type { Checkpoint } from '../checkpoint.js';
import type { StreamRef } from '../eventStore.js';
import { advanceParams, advanceSql, type CheckpointMove } from './advanceCheckpoint.js';
import { readerLockKey } from './markReaderTransaction.js';
import { query } from './sql.js';
import { streamKey } from './subscriptionDeadLetters.js';

export type BatchStart = {
  /** False when the checkpoint was not where the batch was read from, or the partition is no longer ours. */
  readonly moved: boolean;
  /** Streams of the batch with a dead letter in this subscription: their events are parked behind it. */
  readonly parked: Set<string>;
};

type Row = { marked: string; moved: number; parked: [string, string][] };

/*
 * The first statement of a batch transaction, in one round trip: mark it as a reader (unless the
 * subscription appends), move the partition's checkpoint to where the batch ends (compare-and-set:
 * still ours, still where the batch was read from; the transaction commits the handler's writes
 * with it or nothing), and find which of the batch's streams already have a dead letter here.
 * Moving first takes the row lock first, so a takeover or a reset waits for the batch. The mark is
 * asked for before the move, which takes the transaction id; either way round is safe: until the
 * mark is visible the transaction merely counts as a possible appender.
 *
 * A reader's batch commits without waiting for its WAL flush (synchronous_commit off, this
 * transaction only): it writes nothing but read models and its checkpoint, which a crash of the
 * database can only lose together, so the batch is handled again, never twice
 * (docs/decisions.md, "Read-model batches commit asynchronously").
 */
const beginSql = `
  with mark as materialized (
    select set_config('chronicle.reader', 'on', true), set_config('synchronous_commit', 'off', true),
      pg_advisory_xact_lock_shared(?, ?)
    where ?::boolean
  ),
  parked as (
    select distinct d.stream_type, d.stream_id from es_dead_letters d
    join unnest(?::text[], ?::text[]) as s(stream_type, stream_id)
      on d.stream_type = s.stream_type and d.stream_id = s.stream_id
    where d.subscription = ?
  ),
  moved as (${advanceSql})
  select (select count(*) from mark) as marked,
    (select count(*) from moved)::int as moved,
    (select coalesce(json_agg(json_build_array(p.stream_type, p.stream_id)), '[]'::json) from parked p) as parked`;

/** Distinct streams: a batch holds many events of few streams. */
const streamsOf = (events: readonly RecordedEvent[]) => {
  const streams = new Map<string, StreamRef>();
  for (const event of events) streams.set(streamKey(event), event);
  return [...streams.values()];
};

export const beginBatch = async (
  tx: Knex.Transaction,
  target: CheckpointMove & { readonly reader: boolean },
  batch: { readonly events: readonly RecordedEvent[]; readonly from: Checkpoint; readonly to: Checkpoint },
): Promise<BatchStart> => {
  const streams = streamsOf(batch.events);
  const [row] = await query<Row>(
    tx,
    beginSql,
    [
      ...readerLockKey,
      target.reader,
      streams.map((stream) => stream.streamType),
      streams.map((stream) => stream.streamId),
      target.name,
      ...advanceParams(target, batch.from, batch.to),
    ],
    'chronicle_begin_batch',
  );
  return {
    moved: row?.moved === 1,
    parked: new Set(row?.parked.map(([streamType, streamId]) => streamKey({ streamType, streamId }))),
  };
};
