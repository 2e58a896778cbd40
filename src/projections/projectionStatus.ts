import type { Knex } from '@mikro-orm/postgresql';
import { query } from '../eventStore/index.js';
import {
  type Checkpoint,
  type EventFilter,
  filterParams,
  partitionOfStreamSql,
} from '../subscriptions/index.js';
import type { Projection } from './defineProjection.js';

export type PartitionFailure = {
  readonly message: string;
  readonly at: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly streamType?: string;
  readonly streamId?: string;
  readonly version?: number;
  readonly globalPosition?: number;
};

type PartitionState =
  | { readonly state: 'running'; readonly owner: string; readonly leaseExpiresAt: string }
  /** Failing on an event and backing off; it stops when the attempts run out. */
  | {
      readonly state: 'retrying';
      readonly owner: string;
      readonly leaseExpiresAt: string;
      readonly attempts: number;
      readonly error: PartitionFailure;
    }
  /** No live worker holds it (none running, or the holder died and its lease has not expired yet). */
  | { readonly state: 'unowned'; readonly lastOwner: string | null }
  /** Stopped on an event after the last attempt: `projections retry` resumes it once fixed. */
  | { readonly state: 'failed'; readonly attempts: number; readonly error: PartitionFailure };

export type PartitionStatus = PartitionState & {
  readonly name: string;
  readonly partition: number;
  readonly partitions: number;
  readonly checkpoint: Checkpoint;
  /** The newest event position in the store. */
  readonly head: number;
  readonly lag: { readonly events: number; readonly seconds: number };
};

type Row = {
  subscription: string;
  partition: number;
  partitions: number;
  transaction_id: string;
  global_position: string;
  status: 'active' | 'failed';
  owner: string | null;
  lease_expires_at: Date | null;
  lease_live: boolean;
  attempts: number;
  last_error: PartitionFailure | null;
};

const lagSql = `
  select count(*) as events, coalesce(extract(epoch from now() - min(recorded_at)), 0) as seconds
  from es_events
  where (transaction_id, global_position) > (?::xid8, ?::bigint)
    and (?::text[] is null or type = any(?::text[]))
    and (?::text[] is null or stream_type = any(?::text[]))
    and (?::int = 1 or ${partitionOfStreamSql('stream_id')} = ?::int)`;

const neverRun = (subscription: string, partition: number, partitions: number): Row => ({
  subscription,
  partition,
  partitions,
  transaction_id: '0',
  global_position: '0',
  status: 'active',
  owner: null,
  lease_expires_at: null,
  lease_live: false,
  attempts: 0,
  last_error: null,
});

const stateOf = (row: Row): PartitionState => {
  const error = row.last_error ?? { message: 'unknown', at: '' };
  if (row.status === 'failed') return { state: 'failed', attempts: row.attempts, error };
  if (!row.owner || !row.lease_live || !row.lease_expires_at)
    return { state: 'unowned', lastOwner: row.owner };
  const lease = { owner: row.owner, leaseExpiresAt: new Date(row.lease_expires_at).toISOString() };
  return row.attempts > 0
    ? { state: 'retrying', ...lease, attempts: row.attempts, error }
    : { state: 'running', ...lease };
};

/**
 * One entry per partition of a subscription: checkpoint, lag (events past it, age of the oldest),
 * owner and state. Lag counts past the checkpoint with the subscription's own filter.
 */
export const subscriptionStatus = async (
  db: Knex,
  name: string,
  filter: EventFilter,
  partitions = 1,
): Promise<PartitionStatus[]> => {
  const stored = await query<Row>(
    db,
    `select subscription, partition, partitions, transaction_id::text as transaction_id, global_position, status,
       owner, lease_expires_at, coalesce(lease_expires_at > now(), false) as lease_live, attempts, last_error
     from es_checkpoints where subscription = ? order by partition`,
    [name],
  );
  // never run yet: its partitions, from the start of the stream, waiting for a worker
  const rows =
    stored.length > 0
      ? stored
      : Array.from({ length: partitions }, (_, partition) => neverRun(name, partition, partitions));
  const [head] = await query<{ head: string | null }>(
    db,
    'select max(global_position) as head from es_events',
  );
  const [eventTypes, streamTypes] = filterParams(filter);
  return Promise.all(
    rows.map(async (row): Promise<PartitionStatus> => {
      const [lag] = await query<{ events: string; seconds: string }>(db, lagSql, [
        row.transaction_id,
        row.global_position,
        eventTypes,
        eventTypes,
        streamTypes,
        streamTypes,
        row.partitions,
        row.partitions,
        row.partition,
      ]);
      return {
        name: row.subscription,
        partition: row.partition,
        partitions: row.partitions,
        checkpoint: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
        head: Number(head?.head ?? 0),
        lag: { events: Number(lag?.events ?? 0), seconds: Math.max(0, Number(lag?.seconds ?? 0)) },
        ...stateOf(row),
      };
    }),
  );
};

/** The status of each projection's partitions, in the order given. */
export const projectionStatus = async (
  db: Knex,
  projections: readonly Projection[],
): Promise<PartitionStatus[]> => {
  const all = await Promise.all(
    projections.map((projection) =>
      subscriptionStatus(db, projection.name, { eventTypes: projection.events }, projection.partitions),
    ),
  );
  return all.flat();
};
