import type { Knex } from '@mikro-orm/postgresql';
import type { Aggregate, AggregateRegistry } from '../aggregate/index.js';
import type { CommandClient, ShardQueues } from '../commands/index.js';
import type { ApiSettings, ChronicleConfig } from '../config/index.js';
import type { EventStore } from '../eventStore/index.js';
import type { Logger } from '../logging/index.js';
import type { MetricsHandler, ReadinessCheck } from '../observability/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import type { Projection } from '../projections/index.js';
import type { RedisConnection } from '../services/index.js';
import type { SubscriptionOutline, Wakeup } from '../subscriptions/index.js';
import type { ReadModelRoute } from './readModelRoute.js';
import type { StreamSlots } from './stream/streamSlots.js';

/** What the routes share: the pod's connections and its domain. Built once by createApiServer. */
export type ApiContext = {
  readonly config: ChronicleConfig;
  readonly settings: ApiSettings;
  readonly aggregates: readonly Aggregate[];
  readonly registry: AggregateRegistry;
  /** Described by /v1/machines beside the aggregates; their instances read by /v1/process-managers. */
  readonly processManagers: readonly ProcessManager[];
  readonly projections: readonly Projection[];
  /** Other subscriptions (the NATS outbox): in /v1/projections beside the projections, retried alike. */
  readonly subscriptions: readonly SubscriptionOutline[];
  readonly readModels: readonly ReadModelRoute[];
  readonly knex: Knex;
  readonly store: EventStore;
  readonly client: CommandClient;
  /** The command shard queues, for dead letters and stats (lookups: they record no shard count). */
  readonly shardQueues: ShardQueues;
  readonly redis: RedisConnection;
  /** Notified on every `chronicle_events` notification: live streams wait on it. */
  readonly wakeup: Wakeup;
  /** Aborts when the server closes: live streams end on it. */
  readonly closing: AbortSignal;
  /** The pod's live feeds (SSE, WebSocket, gRPC): one budget, capped per pod and per caller. */
  readonly streams: StreamSlots;
  readonly logger: Logger;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly isDraining: () => boolean;
  readonly metricsHandler?: MetricsHandler;
};
