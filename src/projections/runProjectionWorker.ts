import type { ChronicleConfig } from '../config/index.js';
import { createOrm } from '../db/index.js';
import {
  type EventNotifications,
  listenForEvents,
  SubscriptionHost,
  type SubscriptionLogger,
  type SubscriptionSettings,
  silentLogger,
  subscriptionSettingsFromEnv,
} from '../subscriptions/index.js';
import type { Projection } from './defineProjection.js';
import { reportProjectionLag } from './projectionLagGauge.js';
import { projectionSubscription } from './projectionSubscription.js';
import { selectProjections } from './selectProjections.js';

export type ProjectionWorkerOptions = {
  readonly config: ChronicleConfig;
  readonly projections: readonly Projection[];
  /** Default: from the environment (subscriptionSettingsFromEnv). */
  readonly settings?: SubscriptionSettings;
  /** Comma-separated names to run; default: CHRONICLE_PROJECTIONS, else all. */
  readonly only?: string;
  readonly logger?: SubscriptionLogger;
  /** How often the lag gauges are refreshed from the checkpoint table. Default 10 s. */
  readonly lagEveryMs?: number;
};

export type ProjectionWorker = {
  readonly workerId: string;
  /** The partitions this worker runs now, per projection. */
  owned(): Record<string, number[]>;
  /** Finishes the batches in hand, releases the leases, closes the connections. */
  stop(): Promise<void>;
};

/**
 * A projection pod's engine: runs its share of every projection's partitions, woken by LISTEN/NOTIFY
 * and polling as the fallback. Start as many as you like: partitions are leased, one worker each.
 * @example
 * const worker = await runProjectionWorker({ config: loadConfig(), projections });
 * await runUntilSignal(worker, logger);
 */
export const runProjectionWorker = async (options: ProjectionWorkerOptions): Promise<ProjectionWorker> => {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const settings = options.settings ?? subscriptionSettingsFromEnv();
  const projections = selectProjections(
    options.projections,
    options.only ?? process.env.CHRONICLE_PROJECTIONS,
  );
  const orm = await createOrm(config.databaseUrl);
  const knex = orm.em.getKnex();
  let notifications: EventNotifications | undefined;
  try {
    notifications = await listenForEvents(config.databaseUrl, logger);
    const host = await SubscriptionHost.start({
      knex,
      subscriptions: projections.map((projection) => projectionSubscription(projection)),
      settings,
      notifications,
      logger,
    });
    const stopLag = await reportProjectionLag(knex, projections, options.lagEveryMs ?? 10_000, logger);
    const names = projections.map((projection) => projection.name);
    logger.info({ workerId: settings.workerId, projections: names }, 'projection worker started');
    const listener = notifications;
    return {
      workerId: settings.workerId,
      owned: () => host.owned(),
      stop: async () => {
        stopLag();
        await host.stop();
        await listener.close();
        await orm.close(true);
        logger.info({ workerId: settings.workerId }, 'projection worker stopped');
      },
    };
  } catch (error) {
    await notifications?.close();
    await orm.close(true);
    throw error;
  }
};
