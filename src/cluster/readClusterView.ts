import type { Knex } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import type { EventSchemas } from '../eventSchemas/index.js';
import { type Lag, type PartitionWaiting, readPods, type StoredPod } from '../eventStore/index.js';
import { type PartitionStatus, subscriptionStatus } from '../projections/index.js';
import type { ClusterSubscription, SubscriptionKind } from './clusterSubscriptions.js';
import { readShardWork, type ShardWork } from './readShardWork.js';

/** One leased partition: who holds it now and how far behind the head it is. */
export type ClusterPartition = {
  readonly kind: SubscriptionKind;
  readonly subscription: string;
  readonly partition: number;
  readonly partitions: number;
  readonly state: PartitionStatus['state'];
  /** The pod holding its lease now; null when none does. */
  readonly owner: string | null;
  /** Who held it last, when none does now. */
  readonly lastOwner?: string | null;
  readonly leaseExpiresAt?: string;
  /** The event of a newer release it waits at (state `waiting`). */
  readonly waiting?: PartitionWaiting;
  readonly lag: Lag;
};

export type ClusterView = {
  readonly pods: readonly StoredPod[];
  readonly shards: readonly ShardWork[];
  readonly partitions: readonly ClusterPartition[];
};

const partitionOf = (kind: SubscriptionKind, status: PartitionStatus): ClusterPartition => {
  const base = {
    kind,
    subscription: status.name,
    partition: status.partition,
    partitions: status.partitions,
    state: status.state,
    lag: status.lag,
  };
  switch (status.state) {
    case 'running':
    case 'retrying':
      return { ...base, owner: status.owner, leaseExpiresAt: status.leaseExpiresAt };
    case 'waiting':
      return { ...base, owner: status.owner, waiting: status.waiting };
    case 'unowned':
      return { ...base, owner: null, lastOwner: status.lastOwner };
    case 'failed':
    case 'not-started':
      return { ...base, owner: null };
    default:
      return status satisfies never;
  }
};

/**
 * The cluster now: every registered pod, what works each command shard queue, and each leased
 * partition's holder and lag. Lag is the status routes' (readLag: at most LAG_WINDOW rows walked per
 * partition, estimated beyond), so the view costs the same in a store of any size.
 */
export const readClusterView = async (parts: {
  readonly knex: Knex;
  readonly schemas: EventSchemas;
  readonly queues: readonly Queue[];
  readonly subscriptions: readonly ClusterSubscription[];
}): Promise<ClusterView> => {
  const pods = await readPods(parts.knex);
  const [shards, statuses] = await Promise.all([
    readShardWork(parts.queues, pods),
    Promise.all(
      parts.subscriptions.map(async ({ kind, outline }) =>
        (
          await subscriptionStatus(
            parts.knex,
            parts.schemas,
            outline.name,
            outline.filter,
            outline.partitions,
            {
              // an outbox no broker runs, or a deployment without snapshot pods, is behind nothing yet
              optional: kind === 'outbox' || kind === 'snapshot',
            },
          )
        ).map((status) => partitionOf(kind, status)),
      ),
    ),
  ]);
  return { pods, shards, partitions: statuses.flat() };
};
