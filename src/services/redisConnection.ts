import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ChronicleConfig } from '../config/index.js';

/** A connection to the one Redis, or to a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisConnection = Redis | Cluster;

/** Where Redis is: REDIS_URL, or the cluster's seed nodes when REDIS_CLUSTER_NODES is set. */
export type RedisTarget = Pick<ChronicleConfig, 'redisUrl' | 'redisClusterNodes'>;

/** The user and password of REDIS_URL, which a cluster's nodes are asked with too. */
const credentials = (redisUrl: string): RedisOptions => {
  try {
    const { username, password } = new URL(redisUrl);
    return {
      ...(username ? { username: decodeURIComponent(username) } : {}),
      ...(password ? { password: decodeURIComponent(password) } : {}),
    };
  } catch {
    return {};
  }
};

/**
 * Every Redis connection of the runtime is opened here: an ioredis Cluster when the target names
 * cluster nodes (the options go to each node; the offline queue, lazy connect and retry strategy
 * to the cluster client), else one Redis at REDIS_URL.
 */
export const openRedis = (target: RedisTarget, options: RedisOptions = {}): RedisConnection => {
  const nodes = target.redisClusterNodes;
  if (!nodes || nodes.length === 0) return new Redis(target.redisUrl, options);
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = options;
  return new Cluster(
    nodes.map(({ host, port }) => ({ host, port })),
    {
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
      redisOptions: { ...credentials(target.redisUrl), ...nodeOptions },
    },
  );
};

/**
 * A BullMQ queue's (or worker's) connection and key prefix. On a cluster every key of one queue
 * must sit in one hash slot (BullMQ's scripts touch several), so the prefix becomes a hash tag
 * naming the queue, `{chronicle:commands-3}`: each queue has its own slot, and the shard queues
 * spread over the masters. On one Redis the prefix stays as configured (keys unchanged).
 */
export const queueOptions = (connection: RedisConnection, prefix: string, queueName: string) => ({
  connection,
  prefix: connection.isCluster ? `{${prefix}:${queueName}}` : prefix,
});

/** The Redis servers behind a connection: the masters of a cluster, or the one Redis. */
export const redisServers = (connection: RedisConnection): Redis[] =>
  connection instanceof Cluster ? connection.nodes('master') : [connection];
