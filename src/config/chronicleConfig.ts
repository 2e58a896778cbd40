import { type RedisNode, redisClusterNodesSetting } from './redisClusterNodes.js';
import { positiveInt } from './settingValues.js';

export type ChronicleConfig = {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /**
   * Seed nodes of a Redis Cluster: when set, every Redis connection is a cluster client and each
   * queue's keys share one hash slot (see queueOptions), so shard queues spread over the masters.
   */
  readonly redisClusterNodes?: readonly RedisNode[] | undefined;
  /** Number of command shard queues. Fixed per deployment: changing it re-routes aggregates. */
  readonly shards: number;
  /** BullMQ key prefix: lets several deployments (or test runs) share one Redis. */
  readonly queuePrefix: string;
  /** A command job's lock: a dead pod's command is taken over this long after it died. */
  readonly commandLockMs: number;
};

export const defaultConfig: ChronicleConfig = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/chronicle',
  redisUrl: 'redis://127.0.0.1:6379',
  shards: 8,
  queuePrefix: 'chronicle',
  commandLockMs: 3_000,
};

/** Reads the environment variables documented in docs/operations.md. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): ChronicleConfig => ({
  databaseUrl: env.DATABASE_URL || defaultConfig.databaseUrl,
  redisUrl: env.REDIS_URL || defaultConfig.redisUrl,
  redisClusterNodes: redisClusterNodesSetting('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES),
  shards: positiveInt('CHRONICLE_SHARDS', env.CHRONICLE_SHARDS, defaultConfig.shards),
  queuePrefix: env.CHRONICLE_QUEUE_PREFIX || defaultConfig.queuePrefix,
  commandLockMs: positiveInt(
    'CHRONICLE_COMMAND_LOCK_MS',
    env.CHRONICLE_COMMAND_LOCK_MS,
    defaultConfig.commandLockMs,
  ),
});
