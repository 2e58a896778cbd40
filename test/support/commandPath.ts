import { aggregates, processManagers } from '../../actors/index.js';
import { createAggregateRegistry } from '../../src/aggregate/index.js';
import {
  type CommandClient,
  CommandWorker,
  type CommandWorkerOptions,
  createCommandClient,
} from '../../src/commands/index.js';
import type { ChronicleConfig } from '../../src/config/index.js';
import { type ProcessManagerWorker, runProcessManagerWorker } from '../../src/processManagers/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, dropQueuePrefix, type TestDatabase, testQueuePrefix } from './testDatabase.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A path's shard count is always chosen, so specs can route with config.shards themselves. */
type ChosenShardsConfig = ChronicleConfig & { readonly shards: number };

export type CommandPath = {
  readonly db: TestDatabase;
  readonly config: ChosenShardsConfig;
  readonly client: CommandClient;
  /** Environment for a pod process that joins this test's database and queues. */
  readonly podEnv: Record<string, string>;
  startWorker(options?: Partial<CommandWorkerOptions>): Promise<CommandWorker>;
  /** The sample domain's process managers (order-payment) in this process, stopped by close(). */
  startProcessManagers(workerId: string): Promise<ProcessManagerWorker>;
  close(): Promise<void>;
};

export const registry = createAggregateRegistry(aggregates);

/** A fresh database and queue prefix, a client on them, and in-process workers on demand. */
export const createCommandPath = async (
  overrides: Partial<ChosenShardsConfig> = {},
): Promise<CommandPath> => {
  const db = await createTestDatabase();
  const config: ChosenShardsConfig = {
    databaseUrl: db.url,
    redisUrl: REDIS_URL,
    shards: 4,
    queuePrefix: testQueuePrefix(),
    commandLockMs: 3_000,
    ...overrides,
  };
  const client = createCommandClient(config);
  const workers: CommandWorker[] = [];
  const processManagerWorkers: ProcessManagerWorker[] = [];
  return {
    db,
    config,
    client,
    podEnv: {
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      ...(config.redisClusterNodes
        ? {
            REDIS_CLUSTER_NODES: config.redisClusterNodes
              .map(({ host, port }) => `${host}:${port}`)
              .join(','),
          }
        : {}),
      CHRONICLE_SHARDS: String(config.shards),
      CHRONICLE_QUEUE_PREFIX: config.queuePrefix,
      CHRONICLE_COMMAND_LOCK_MS: String(config.commandLockMs),
      METRICS_PORT: '0',
    },
    startWorker: async (options = {}) => {
      const worker = await CommandWorker.start({
        config,
        aggregates,
        retry: { baseDelayMs: 20, maxDelayMs: 200 },
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    startProcessManagers: async (workerId) => {
      const worker = await runProcessManagerWorker({
        config,
        processManagers,
        aggregates,
        settings: fastSettings(workerId, { batchSize: 50 }),
      });
      processManagerWorkers.push(worker);
      return worker;
    },
    close: async () => {
      await Promise.all(processManagerWorkers.map((worker) => worker.stop()));
      await client.close();
      await Promise.all(workers.map((worker) => worker.stop()));
      await db.drop();
      await dropQueuePrefix(config.redisUrl, config.queuePrefix);
    },
  };
};
