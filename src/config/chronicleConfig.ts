import { type RedisNode, redisClusterNodesSetting } from './redisClusterNodes.js';
import { positiveInt } from './settingValues.js';

/**
 * How many command shard queues a client or pod is told to use. A number was chosen (CHRONICLE_SHARDS,
 * or `shards` in code) and is held to the count the deployment recorded in Redis; `'default'` takes
 * the recorded count, so a deployment that ran on an older default keeps it, and a new one gets
 * DEFAULT_SHARDS (src/commands/shardCount.ts resolves it). One field, so that `{ ...defaultConfig,
 * shards: 4 }` means "chosen: 4" and no flag can say otherwise.
 */
export type ShardsSetting = number | 'default';

/** The shard count a new deployment records when nobody chose one (docs/decisions.md, "Default shard count"). */
export const DEFAULT_SHARDS = 32;

export type ChronicleConfig = {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /**
   * Seed nodes of a Redis Cluster: when set, every Redis connection is a cluster client and each
   * queue's keys share one hash slot (see queueOptions), so shard queues spread over the masters.
   */
  readonly redisClusterNodes?: readonly RedisNode[] | undefined;
  /** Number of command shard queues. Fixed per deployment: changing it re-routes aggregates. */
  readonly shards: ShardsSetting;
  /** BullMQ key prefix: lets several deployments (or test runs) share one Redis. */
  readonly queuePrefix: string;
  /** A command job's lock: a dead pod's command is taken over this long after it died. */
  readonly commandLockMs: number;
};

export const defaultConfig: ChronicleConfig = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/chronicle',
  redisUrl: 'redis://127.0.0.1:6379',
  shards: 'default',
  queuePrefix: 'chronicle',
  commandLockMs: 3_000,
};

/** Reads the environment variables documented in docs/operations.md. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): ChronicleConfig => ({
  databaseUrl: env.DATABASE_URL || defaultConfig.databaseUrl,
  redisUrl: env.REDIS_URL || defaultConfig.redisUrl,
  redisClusterNodes: redisClusterNodesSetting('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES),
  shards: positiveInt<ShardsSetting>('CHRONICLE_SHARDS', env.CHRONICLE_SHARDS, defaultConfig.shards),
  queuePrefix: env.CHRONICLE_QUEUE_PREFIX || defaultConfig.queuePrefix,
  commandLockMs: positiveInt(
    'CHRONICLE_COMMAND_LOCK_MS',
    env.CHRONICLE_COMMAND_LOCK_MS,
    defaultConfig.commandLockMs,
  ),
});
