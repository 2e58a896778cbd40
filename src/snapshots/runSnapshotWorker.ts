import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { createOrm } from '../db/index.js';
import { createPostgresEventStore } from '../eventStore/index.js';
import {
  type EventNotifications,
  listenForEvents,
  SubscriptionHost,
  type SubscriptionLogger,
  type SubscriptionSettings,
  silentLogger,
  subscriptionSettingsFromEnv,
} from '../subscriptions/index.js';
import { snapshotSubscription } from './snapshotSubscription.js';
import { startSnapshotSweep } from './snapshotSweepScheduler.js';
import { sweepSnapshots } from './sweepSnapshots.js';

export type SnapshotWorkerOptions = {
  readonly config: ChronicleConfig;
  readonly aggregates: readonly Aggregate[];
  /** Default: from the environment (subscriptionSettingsFromEnv). */
  readonly settings?: SubscriptionSettings;
  /** Sweep interval; default CHRONICLE_SNAPSHOT_SWEEP_MS, else 5 minutes. */
  readonly sweepEveryMs?: number;
  /** Partitions of the `snapshots` subscription; default 2. */
  readonly partitions?: number;
  readonly logger?: SubscriptionLogger;
};

export type SnapshotWorker = {
  readonly workerId: string;
  stop(): Promise<void>;
};

const sweepEveryFromEnv = (): number => {
  const raw = Number(process.env.CHRONICLE_SNAPSHOT_SWEEP_MS);
  return Number.isInteger(raw) && raw > 0 ? raw : 300_000;
};

/**
 * A snapshot pod's engine: reads the event stream (its share of the `snapshots` partitions) and
 * snapshots streams that passed their policy, plus the periodic sweep through a BullMQ scheduler.
 * @example
 * const worker = await runSnapshotWorker({ config: loadConfig(), aggregates });
 * await runUntilSignal(worker, logger);
 */
export const runSnapshotWorker = async (options: SnapshotWorkerOptions): Promise<SnapshotWorker> => {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const settings = options.settings ?? subscriptionSettingsFromEnv();
  const registry = createAggregateRegistry(options.aggregates);
  const orm = await createOrm(config.databaseUrl);
  const knex = orm.em.getKnex();
  const store = createPostgresEventStore(orm);
  let notifications: EventNotifications | undefined;
  let host: SubscriptionHost | undefined;
  try {
    notifications = await listenForEvents(config.databaseUrl, logger);
    const subscription = snapshotSubscription({
      store,
      registry,
      ...(options.partitions ? { partitions: options.partitions } : {}),
    });
    host = await SubscriptionHost.start({
      knex,
      subscriptions: [subscription],
      settings,
      notifications,
      logger,
    });
    const sweeper = await startSnapshotSweep({
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      everyMs: options.sweepEveryMs ?? sweepEveryFromEnv(),
      sweep: () => sweepSnapshots(knex, store, registry),
      logger,
    });
    logger.info({ workerId: settings.workerId, aggregates: registry.types }, 'snapshot worker started');
    const [running, listener] = [host, notifications];
    return {
      workerId: settings.workerId,
      stop: async () => {
        await sweeper.close();
        await running.stop();
        await listener.close();
        await orm.close(true);
        logger.info({ workerId: settings.workerId }, 'snapshot worker stopped');
      },
    };
  } catch (error) {
    await host?.stop();
    await notifications?.close();
    await orm.close(true);
    throw error;
  }
};
