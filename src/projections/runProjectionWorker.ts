import type { Aggregate } from '../aggregate/index.js';
import {
  type ChronicleConfig,
  projectionLagEveryMsFromEnv,
  projectionSelectionFromEnv,
  type SubscriptionSettings,
} from '../config/index.js';
import type { PodOrmOptions } from '../db/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';
import { startSubscriptionWorker } from '../subscriptions/index.js';
import type { Projection } from './defineProjection.js';
import { reportProjectionLag } from './projectionLagGauge.js';
import { projectionSubscription } from './projectionSubscription.js';
import { selectProjections } from './selectProjections.js';

export type ProjectionWorkerOptions = PodOrmOptions & {
  readonly config: ChronicleConfig;
  readonly projections: readonly Projection[];
  /** The aggregates whose events the projections read: handlers see them in their current shape. */
  readonly aggregates: readonly Aggregate[];
  /** Default: from the environment (subscriptionSettingsFromEnv). */
  readonly settings?: SubscriptionSettings;
  /** Comma-separated names to run; default: CHRONICLE_PROJECTIONS, else all. */
  readonly only?: string;
  readonly logger?: LoggerPort;
  /** How often the lag gauges are refreshed from the checkpoint table. Default CHRONICLE_PROJECTION_LAG_MS, else 10 s. */
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
 * const worker = await runProjectionWorker({ config: loadConfig(), projections, aggregates });
 * await runUntilSignal(worker, logger);
 */
export const runProjectionWorker = async (options: ProjectionWorkerOptions): Promise<ProjectionWorker> => {
  const projections = selectProjections(options.projections, options.only ?? projectionSelectionFromEnv());
  const worker = await startSubscriptionWorker({
    orm: options.orm,
    config: options.config,
    schemas: createEventSchemas(options.aggregates),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    subscriptions: () => projections.map((projection) => projectionSubscription(projection)),
    extras: async ({ knex, schemas, logger, settings }) => {
      const stopLag = await reportProjectionLag(
        knex,
        schemas,
        projections,
        options.lagEveryMs ?? projectionLagEveryMsFromEnv(),
        logger,
      );
      const names = projections.map((projection) => projection.name);
      logger.info({ workerId: settings.workerId, projections: names }, 'projection worker started');
      return () => {
        stopLag();
      };
    },
  });
  return {
    workerId: worker.workerId,
    owned: () => worker.host.owned(),
    stop: async () => {
      await worker.stop();
      (options.logger ?? silentLogger).info({ workerId: worker.workerId }, 'projection worker stopped');
    },
  };
};
