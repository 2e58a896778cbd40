import { ChronicleError } from '../errors/index.js';

/** One seed node of a Redis Cluster. */
export type RedisNode = { readonly host: string; readonly port: number };

/**
 * REDIS_CLUSTER_NODES: `host:port,host:port,…` (a few masters are enough: the client learns the
 * rest from them). Unset or empty: no cluster, REDIS_URL is the one Redis.
 */
export const redisClusterNodesSetting = (
  name: string,
  raw: string | undefined,
): readonly RedisNode[] | undefined => {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return undefined;
  return entries.map((entry) => {
    // host:port, or [v6 address]:port
    const match = /^(\[[^\]]+\]|[^:[\]]+):(\d+)$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new ChronicleError(
        'CONFIGURATION',
        `${name} must list cluster nodes as host:port separated by commas, got "${raw}"`,
      );
    }
    return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
  });
};
