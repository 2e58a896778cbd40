import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../eventSchemas/index.js';
import {
  type Checkpoint,
  countDeadLetters,
  type EventFilter,
  type HorizonBlocker,
  type Lag,
  type PartitionFailure,
  type PartitionWaiting,
  readHeadPosition,
  readHorizon,
  readLag,
  readSubscriptionPartitions,
  type StoredPartition,
  startOfStream,
} from '../eventStore/index.js';
import type { Projection } from './defineProjection.js';

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
  /**
   * At an event written by a newer release than the worker that reached it: the events before it
   * are applied, nothing failed, and a worker that reads its version resumes it on its own.
   */
  | { readonly state: 'waiting'; readonly owner: string | null; readonly waiting: PartitionWaiting }
  /** Stopped on an event after the last attempt: `projections retry` resumes it once fixed. */
  | { readonly state: 'failed'; readonly attempts: number; readonly error: PartitionFailure }
  /**
   * No worker has ever run it, and none need have (the NATS outbox where no broker is set up): it
   * is behind nothing yet, so it shows no lag rather than the whole store.
   */
  | { readonly state: 'not-started' };

export type PartitionStatus = PartitionState & {
  readonly name: string;
  readonly partition: number;
  readonly partitions: number;
  readonly checkpoint: Checkpoint;
  /** The newest event position in the store. */
  readonly head: number;
  /** Exact up to LAG_WINDOW events past the checkpoint, estimated beyond (`estimated`). */
  readonly lag: Lag;
  /** Events parked as dead letters of this partition (`chronicle dead-letters list` shows them). */
  readonly deadLetters: number;
  /**
   * Committed events of this partition wait behind an open transaction that may still append:
   * how many, and that transaction (pid, state, age).
   */
  readonly heldBack?: HorizonBlocker & { readonly events: number };
};

const neverRun = (subscription: string, partition: number, partitions: number): StoredPartition => ({
  subscription,
  partition,
  partitions,
  checkpoint: startOfStream,
  status: 'active',
  owner: null,
  leaseExpiresAt: null,
  leaseLive: false,
  ownerGone: false,
  attempts: 0,
  lastError: null,
  waiting: null,
});

const stateOf = (row: StoredPartition): PartitionState => {
  const error = row.lastError ?? { message: 'unknown', at: '' };
  if (row.status === 'failed') return { state: 'failed', attempts: row.attempts, error };
  if (row.waiting) return { state: 'waiting', owner: row.leaseLive ? row.owner : null, waiting: row.waiting };
  if (!row.owner || !row.leaseLive || !row.leaseExpiresAt || row.ownerGone)
    return { state: 'unowned', lastOwner: row.owner };
  const lease = { owner: row.owner, leaseExpiresAt: row.leaseExpiresAt };
  return row.attempts > 0
    ? { state: 'retrying', ...lease, attempts: row.attempts, error }
    : { state: 'running', ...lease };
};

/**
 * One entry per partition of a subscription: checkpoint, lag (events past it, age of the oldest),
 * owner and state. Lag counts past the checkpoint what the subscription reads: its own filter, with
 * the old names of its event types (`schemas`, as its worker reads them), at a cost that does not
 * grow with the store (readLag). A subscription that has never run is behind the whole store
 * (a projection: its worker will read it all), or, with `optional`, not started (the NATS outbox:
 * nothing reads it where no broker is set up).
 */
export const subscriptionStatus = async (
  db: Knex,
  schemas: EventSchemas,
  name: string,
  filter: EventFilter,
  partitions = 1,
  { optional = false }: { readonly optional?: boolean } = {},
): Promise<PartitionStatus[]> => {
  const stored = await readSubscriptionPartitions(db, name);
  const head = await readHeadPosition(db);
  if (stored.length === 0 && optional)
    return Array.from({ length: partitions }, (_, partition) => ({
      name,
      partition,
      partitions,
      checkpoint: startOfStream,
      head,
      lag: { events: 0, seconds: 0, estimated: false },
      deadLetters: 0,
      state: 'not-started',
    }));
  // never run yet: its partitions, from the start of the stream, waiting for a worker
  const rows =
    stored.length > 0
      ? stored
      : Array.from({ length: partitions }, (_, partition) => neverRun(name, partition, partitions));
  const horizon = await readHorizon(db);
  const parked = await countDeadLetters(db, name);
  return Promise.all(
    rows.map(async (row): Promise<PartitionStatus> => {
      const { held, ...lag } = await readLag(db, schemas, {
        after: row.checkpoint,
        filter,
        partition: { index: row.partition, count: row.partitions },
        horizon: horizon.transactionId,
      });
      return {
        name: row.subscription,
        partition: row.partition,
        partitions: row.partitions,
        checkpoint: row.checkpoint,
        head,
        lag,
        deadLetters: parked.get(row.partition) ?? 0,
        ...stateOf(row),
        ...(horizon.blocker && held > 0 ? { heldBack: { ...horizon.blocker, events: held } } : {}),
      };
    }),
  );
};

/** The status of each projection's partitions, in the order given. */
export const projectionStatus = async (
  db: Knex,
  schemas: EventSchemas,
  projections: readonly Projection[],
): Promise<PartitionStatus[]> => {
  const all = await Promise.all(
    projections.map((projection) =>
      subscriptionStatus(
        db,
        schemas,
        projection.name,
        { eventTypes: projection.events },
        projection.partitions,
      ),
    ),
  );
  return all.flat();
};
