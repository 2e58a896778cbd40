import { type RedisNode, redisClusterNodesSetting } from './redisClusterNodes.js';
import { booleanSetting, positiveInt } from './settingValues.js';

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
  /**
   * Where the LISTEN connection goes, when not to `databaseUrl`: a session of its own, so it must
   * go around a pooler in transaction mode (PgBouncer) straight to PostgreSQL.
   */
  readonly databaseListenUrl?: string | undefined;
  /**
   * Whether the hot statements are named prepared statements (parsed and planned once per
   * connection; unset: on). Off behind a pooler in transaction mode that does not carry them from
   * one server connection to the next (PgBouncer before 1.21, or without max_prepared_statements).
   */
  readonly databasePreparedStatements?: boolean | undefined;
  /** Connections this process's pool may open; unset: the pod kind's default (docs/operations.md). */
  readonly databasePoolSize?: number | undefined;
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
  /**
   * How long a command pod leaves a command that only another running release can take (a newer
   * command, aggregate or payload schema, or an aggregate with events of a newer version) for that
   * release's pods, before failing it as VERSION_SKEW (never rejecting it).
   */
  readonly versionSkewWaitMs?: number | undefined;
};

export const defaultConfig: ChronicleConfig = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/chronicle',
  redisUrl: 'redis://127.0.0.1:6379',
  shards: 'default',
  queuePrefix: 'chronicle',
  commandLockMs: 3_000,
  versionSkewWaitMs: 60_000,
};

/** Reads the environment variables documented in docs/operations.md. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): ChronicleConfig => ({
  databaseUrl: env.DATABASE_URL || defaultConfig.databaseUrl,
  databaseListenUrl: env.DATABASE_LISTEN_URL || undefined,
  databasePreparedStatements: booleanSetting(
    'DATABASE_PREPARED_STATEMENTS',
    env.DATABASE_PREPARED_STATEMENTS,
    true,
  ),
  databasePoolSize: positiveInt('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, undefined),
  redisUrl: env.REDIS_URL || defaultConfig.redisUrl,
  redisClusterNodes: redisClusterNodesSetting('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES),
  shards: positiveInt<ShardsSetting>('CHRONICLE_SHARDS', env.CHRONICLE_SHARDS, defaultConfig.shards),
  queuePrefix: env.CHRONICLE_QUEUE_PREFIX || defaultConfig.queuePrefix,
  commandLockMs: positiveInt(
    'CHRONICLE_COMMAND_LOCK_MS',
    env.CHRONICLE_COMMAND_LOCK_MS,
    defaultConfig.commandLockMs,
  ),
  versionSkewWaitMs: positiveInt(
    'CHRONICLE_VERSION_SKEW_WAIT_MS',
    env.CHRONICLE_VERSION_SKEW_WAIT_MS,
    defaultConfig.versionSkewWaitMs,
  ),
});
