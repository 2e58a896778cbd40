import type { Knex } from '@mikro-orm/postgresql';
import type { LoggerPort } from '../logging/index.js';
import { observeProjectionLag, type ProjectionLag } from '../metrics/index.js';
import type { Projection } from './defineProjection.js';
import { projectionStatus } from './projectionStatus.js';

/**
 * Feeds the lag gauges from the shared checkpoint table every `everyMs`: every partition, held here
 * or not, so the lag of a partition this pod gave away does not linger at its last value.
 * Collections read the cached figures (cheap). Returns the function that stops it.
 */
export const reportProjectionLag = async (
  db: Knex,
  projections: readonly Projection[],
  everyMs: number,
  logger: LoggerPort,
): Promise<() => void> => {
  let lag: ProjectionLag[] = [];
  const refresh = async () => {
    try {
      const statuses = await projectionStatus(db, projections);
      lag = statuses.map((status) => ({
        projection: status.name,
        partition: status.partition,
        ...status.lag,
      }));
    } catch (error) {
      logger.warn({ err: error }, 'projection lag refresh failed');
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), everyMs);
  timer.unref();
  const unobserve = observeProjectionLag(() => lag);
  return () => {
    clearInterval(timer);
    unobserve();
  };
};
