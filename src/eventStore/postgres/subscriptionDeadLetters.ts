import type { FailureReason } from '../../errors/index.js';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import type { StoredEventRef } from '../partitionFailure.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { type Db, query } from './sql.js';

/** An event a subscription parked instead of stalling its partition: visible, retryable. */
export type SubscriptionDeadLetter = StoredEventRef & {
  readonly subscription: string;
  readonly partition: number;
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
  readonly retryRequested: boolean;
  readonly parkedAt: string;
};

type Row = {
  subscription: string;
  partition: number;
  event_id: string;
  event_type: string;
  stream_type: string;
  stream_id: string;
  version: number;
  global_position: string;
  code: string;
  message: string;
  attempts: number;
  retry_requested: boolean;
  parked_at: Date;
};

const toDeadLetter = (row: Row): SubscriptionDeadLetter => ({
  subscription: row.subscription,
  partition: row.partition,
  eventId: row.event_id,
  eventType: row.event_type,
  streamType: row.stream_type,
  streamId: row.stream_id,
  version: row.version,
  globalPosition: Number(row.global_position),
  code: row.code,
  message: row.message,
  attempts: row.attempts,
  retryRequested: row.retry_requested,
  parkedAt: new Date(row.parked_at).toISOString(),
});

export const streamKey = (event: Pick<RecordedEvent, 'streamType' | 'streamId'>) =>
  `${event.streamType}\u0000${event.streamId}`;

export const parkEvent = async (
  tx: Db,
  target: { readonly subscription: string; readonly partition: number },
  event: RecordedEvent,
  reason: FailureReason,
): Promise<void> => {
  await query(
    tx,
    `insert into es_dead_letters (subscription, event_id, partition, transaction_id, global_position,
       stream_type, stream_id, version, event_type, code, message)
     values (?, ?, ?, ?::xid8, ?, ?, ?, ?, ?, ?, ?)
     on conflict (subscription, event_id) do update
       set code = excluded.code, message = excluded.message, attempts = es_dead_letters.attempts + 1,
           retry_requested = false, parked_at = now()`,
    [
      target.subscription,
      event.eventId,
      target.partition,
      event.transactionId,
      event.globalPosition,
      event.streamType,
      event.streamId,
      event.version,
      event.type,
      reason.code,
      reason.message,
    ],
  );
};

/** How many events each partition of a subscription has parked. */
export const countDeadLetters = async (db: Db, subscription: string): Promise<Map<number, number>> =>
  new Map(
    (
      await query<{ partition: number; n: string }>(
        db,
        'select partition, count(*) as n from es_dead_letters where subscription = ? group by partition',
        [subscription],
      )
    ).map((row) => [row.partition, Number(row.n)]),
  );

/** Parked events whose replay was asked for, with the events themselves, in commit order. */
export const requestedRetries = async (
  tx: Db,
  schemas: EventSchemas,
  subscription: string,
  partition: number,
): Promise<RecordedEvent[]> => {
  const rows = await query<EventRow>(
    tx,
    `select ${eventColumns} from es_events e
     where e.event_id in (select event_id from es_dead_letters
                          where subscription = ? and partition = ? and retry_requested)
     order by e.transaction_id, e.global_position`,
    [subscription, partition],
  );
  return rows.map((row) => rowToEvent(row, schemas));
};

export const hasRequestedRetries = async (
  db: Db,
  subscription: string,
  partition: number,
): Promise<boolean> =>
  (
    await query(
      db,
      'select 1 from es_dead_letters where subscription = ? and partition = ? and retry_requested limit 1',
      [subscription, partition],
    )
  ).length > 0;

export const unparkEvent = async (tx: Db, subscription: string, eventId: string): Promise<void> => {
  await query(tx, 'delete from es_dead_letters where subscription = ? and event_id = ?', [
    subscription,
    eventId,
  ]);
};

/** Leaves the rest of a stream parked (its retry stopped at an earlier event). */
export const keepParked = async (
  tx: Db,
  subscription: string,
  eventIds: readonly string[],
): Promise<void> => {
  await query(
    tx,
    'update es_dead_letters set retry_requested = false where subscription = ? and event_id = any(?::uuid[])',
    [subscription, eventIds],
  );
};

export const listSubscriptionDeadLetters = async (db: Db, limit = 100): Promise<SubscriptionDeadLetter[]> =>
  (
    await query<Row>(
      db,
      `select subscription, partition, event_id, event_type, stream_type, stream_id, version, global_position,
         code, message, attempts, retry_requested, parked_at
       from es_dead_letters order by parked_at desc, global_position desc limit ?`,
      [limit],
    )
  ).map(toDeadLetter);

/**
 * Asks for a replay of the parked events of the stream `eventId` belongs to (all of them, in order:
 * the later ones wait behind the first). Returns the subscriptions asked.
 */
export const requestDeadLetterRetry = async (db: Db, eventId: string): Promise<string[]> => {
  const rows = await query<{ subscription: string }>(
    db,
    `update es_dead_letters d set retry_requested = true
     from es_dead_letters e
     where e.event_id = ?::uuid and d.subscription = e.subscription
       and d.stream_type = e.stream_type and d.stream_id = e.stream_id
     returning d.subscription`,
    [eventId],
  );
  return [...new Set(rows.map((row) => row.subscription))];
};

/** Gives up on a parked event: its read models will never see it. Returns the subscriptions it left. */
export const dropSubscriptionDeadLetter = async (db: Db, eventId: string): Promise<string[]> =>
  (
    await query<{ subscription: string }>(
      db,
      'delete from es_dead_letters where event_id = ?::uuid returning subscription',
      [eventId],
    )
  ).map((row) => row.subscription);

/** The dead letters of one parked stream's event (to follow a retry). */
export const deadLettersOfEvent = async (db: Db, eventId: string): Promise<SubscriptionDeadLetter[]> =>
  (
    await query<Row>(
      db,
      `select subscription, partition, event_id, event_type, stream_type, stream_id, version, global_position,
         code, message, attempts, retry_requested, parked_at
       from es_dead_letters where event_id = ?::uuid`,
      [eventId],
    )
  ).map(toDeadLetter);
