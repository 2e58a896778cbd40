import type { Knex } from '@mikro-orm/postgresql';
import {
  type ChronicleConfig,
  type SubscriptionSettings,
  subscriptionSettingsFromEnv,
} from '../config/index.js';
import { createPodOrm, type Orm, openPodOrm, type PodOrmOptions } from '../db/index.js';
import type { EventSchemas } from '../eventSchemas/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';
import { listenForEvents } from './eventListener.js';
import type { SubscriptionDefinition } from './subscriptionDefinition.js';
import { SubscriptionHost } from './subscriptionHost.js';
import { withApplicationName, workerConnectionName } from './workerConnectionName.js';

export type SubscriptionWorkerParts = {
  readonly orm: Orm;
  readonly knex: Knex;
  /** The event schemas it reads with: status and lag count through them too. */
  readonly schemas: EventSchemas;
  readonly settings: SubscriptionSettings;
  readonly logger: LoggerPort;
};

export type SubscriptionWorker = {
  readonly workerId: string;
  readonly host: SubscriptionHost;
  /** Stops the extras, finishes the batches in hand, releases the leases, closes the connections. */
  stop(): Promise<void>;
};

/**
 * What every event-stream pod engine does: a database connection, a LISTEN connection for wake-ups,
 * a subscription host running its share of the partitions, and whatever else the pod adds
 * (`extras`, stopped first). On a failed start, everything already opened is closed again.
 */
export const startSubscriptionWorker = async (
  options: PodOrmOptions & {
    readonly config: ChronicleConfig;
    /** The event schemas of the streams it reads (`createEventSchemas(aggregates)`). */
    readonly schemas: EventSchemas;
    readonly settings?: SubscriptionSettings;
    readonly logger?: LoggerPort;
    readonly subscriptions: (parts: SubscriptionWorkerParts) => readonly SubscriptionDefinition[];
    readonly extras?: (parts: SubscriptionWorkerParts) => Promise<() => Promise<void> | void>;
  },
): Promise<SubscriptionWorker> => {
  const logger = options.logger ?? silentLogger;
  const settings = options.settings ?? subscriptionSettingsFromEnv();
  // named after the worker, so status can tell when it is gone (see workerConnectionName)
  const connectionName = workerConnectionName(settings.workerId);
  const databaseUrl = withApplicationName(options.config.databaseUrl, connectionName);
  // the LISTEN session goes around a pooler in transaction mode when DATABASE_LISTEN_URL says so
  const listenUrl = withApplicationName(
    options.config.databaseListenUrl ?? options.config.databaseUrl,
    connectionName,
  );
  const pool = await openPodOrm(options, () => createPodOrm(options.config, 'subscription', databaseUrl));
  const { orm } = pool;
  const parts = { orm, knex: orm.em.getKnex(), schemas: options.schemas, settings, logger };
  const opened: (() => Promise<void> | void)[] = [() => pool.close()];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close();
  };
  try {
    const notifications = await listenForEvents(listenUrl, logger);
    opened.push(() => notifications.close());
    const host = await SubscriptionHost.start({
      knex: parts.knex,
      schemas: parts.schemas,
      subscriptions: options.subscriptions(parts),
      settings,
      notifications,
      logger,
    });
    opened.push(() => host.stop());
    if (options.extras) opened.push(await options.extras(parts));
    return { workerId: settings.workerId, host, stop: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
