import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../eventSchemas/index.js';
import type { LoggerPort } from '../logging/index.js';
import {
  type HorizonBlockerReading,
  observeHorizonBlocker,
  observeProjectionLag,
  type ProjectionLag,
} from '../metrics/index.js';
import type { SubscriptionOutline } from '../subscriptions/index.js';
import type { Projection } from './defineProjection.js';
import { type PartitionStatus, projectionStatus, subscriptionStatus } from './projectionStatus.js';

/**
 * Refreshes the lag figures (and the transaction holding the subscriptions back, if any) from `read`
 * every `everyMs` and lets the gauges observe them.
 */
const reportLag = async (
  read: () => Promise<readonly PartitionStatus[]>,
  everyMs: number,
  logger: LoggerPort,
): Promise<() => void> => {
  let lag: ProjectionLag[] = [];
  let blocker: HorizonBlockerReading | undefined;
  const refresh = async () => {
    try {
      const statuses = await read();
      lag = statuses.map((status) => ({
        projection: status.name,
        partition: status.partition,
        ...status.lag,
      }));
      // the horizon is one for the database: any partition held back names the same transaction
      blocker = statuses.find((status) => status.heldBack)?.heldBack;
    } catch (error) {
      logger.warn({ err: error }, 'projection lag refresh failed');
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), everyMs);
  timer.unref();
  const unobserveLag = observeProjectionLag(() => lag);
  const unobserveBlocker = observeHorizonBlocker(() => blocker);
  return () => {
    clearInterval(timer);
    unobserveLag();
    unobserveBlocker();
  };
};

/**
 * Feeds the lag gauges from the shared checkpoint table every `everyMs`: every partition, held here
 * or not, so the lag of a partition this pod gave away does not linger at its last value.
 * Collections read the cached figures (cheap). Returns the function that stops it.
 */
export const reportProjectionLag = (
  db: Knex,
  schemas: EventSchemas,
  projections: readonly Projection[],
  everyMs: number,
  logger: LoggerPort,
): Promise<() => void> => reportLag(() => projectionStatus(db, schemas, projections), everyMs, logger);

/** The same gauges for other subscriptions (the NATS outbox), labelled with the subscription's name. */
export const reportSubscriptionLag = (
  db: Knex,
  schemas: EventSchemas,
  subscriptions: readonly SubscriptionOutline[],
  everyMs: number,
  logger: LoggerPort,
): Promise<() => void> =>
  reportLag(
    async () =>
      (
        await Promise.all(
          subscriptions.map((outline) =>
            subscriptionStatus(db, schemas, outline.name, outline.filter, outline.partitions),
          ),
        )
      ).flat(),
    everyMs,
    logger,
  );
