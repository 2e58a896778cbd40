import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import {
  type ChronicleConfig,
  commandPayloadRetentionDaysFromEnv,
  type SubscriptionSettings,
  snapshotHistoryFromEnv,
  snapshotSweepEveryMsFromEnv,
} from '../config/index.js';
import type { PodOrmOptions } from '../db/index.js';
import { createPostgresEventStore, pruneCommandPayloads } from '../eventStore/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';
import { recordPruned } from '../metrics/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import { startSubscriptionWorker } from '../subscriptions/index.js';
import { snapshotSubscription } from './snapshotSubscription.js';
import { startSnapshotSweep } from './snapshotSweepScheduler.js';
import { snapshotTargets } from './snapshotTargets.js';
import { sweepSnapshots } from './sweepSnapshots.js';

export type SnapshotWorkerOptions = PodOrmOptions & {
  readonly config: ChronicleConfig;
  readonly aggregates: readonly Aggregate[];
  /** Their instances are snapshotted too, by the same policy (their `snapshotEvery`). */
  readonly processManagers?: readonly ProcessManager[];
  /** Default: from the environment (subscriptionSettingsFromEnv). */
  readonly settings?: SubscriptionSettings;
  /** Sweep interval; default CHRONICLE_SNAPSHOT_SWEEP_MS, else 5 minutes. */
  readonly sweepEveryMs?: number;
  /** Command payloads older than this are forgotten by the sweep; default CHRONICLE_COMMAND_PAYLOAD_RETENTION_DAYS, else 30. */
  readonly payloadRetentionDays?: number;
  /** Snapshots kept per stream, the latest included. Default CHRONICLE_SNAPSHOT_HISTORY, else 2. */
  readonly snapshotHistory?: number;
  /** Partitions of the `snapshots` subscription; default 2. */
  readonly partitions?: number;
  readonly logger?: LoggerPort;
};

export type SnapshotWorker = {
  readonly workerId: string;
  stop(): Promise<void>;
};

/**
 * A snapshot pod's engine: reads the event stream (its share of the `snapshots` partitions) and
 * snapshots streams (of aggregates and process managers) that passed their policy, plus the periodic sweep through a BullMQ scheduler
 * (which also forgets the command payloads kept past their retention: one periodic job per deployment).
 * @example
 * const worker = await runSnapshotWorker({ config: loadConfig(), aggregates, processManagers });
 * await runUntilSignal(worker, logger);
 */
export const runSnapshotWorker = async (options: SnapshotWorkerOptions): Promise<SnapshotWorker> => {
  const registry = createAggregateRegistry(options.aggregates);
  const targets = snapshotTargets(registry, options.processManagers);
  const { config } = options;
  const retentionDays = options.payloadRetentionDays ?? commandPayloadRetentionDaysFromEnv();
  const storeOptions = {
    schemas: registry.schemas,
    snapshotHistory: options.snapshotHistory ?? snapshotHistoryFromEnv(),
  };
  const worker = await startSubscriptionWorker({
    orm: options.orm,
    config,
    schemas: registry.schemas,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    subscriptions: ({ orm }) => [
      snapshotSubscription({
        store: createPostgresEventStore(orm, storeOptions),
        targets,
        ...(options.partitions ? { partitions: options.partitions } : {}),
      }),
    ],
    extras: async ({ orm, knex, logger, settings }) => {
      const store = createPostgresEventStore(orm, storeOptions);
      const sweeper = await startSnapshotSweep({
        redis: config,
        prefix: config.queuePrefix,
        everyMs: options.sweepEveryMs ?? snapshotSweepEveryMsFromEnv(),
        sweep: async () => {
          const swept = await sweepSnapshots(knex, store, targets);
          const payloadsPruned = await pruneCommandPayloads(knex, { retentionDays });
          recordPruned('command_payload', payloadsPruned);
          return { ...swept, payloadsPruned };
        },
        logger,
      });
      logger.info(
        { workerId: settings.workerId, streamTypes: [...targets.keys()] },
        'snapshot worker started',
      );
      return () => sweeper.close();
    },
  });
  return {
    workerId: worker.workerId,
    stop: async () => {
      await worker.stop();
      (options.logger ?? silentLogger).info({ workerId: worker.workerId }, 'snapshot worker stopped');
    },
  };
};
