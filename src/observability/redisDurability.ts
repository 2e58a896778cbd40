import type { Redis } from 'ioredis';
import type { LoggerPort } from '../logging/index.js';
import { openRedis, type RedisConnection, type RedisTarget, redisServers } from '../services/index.js';

/** What a Redis server says about keeping what it was given. */
export type RedisDurability =
  | { readonly status: 'durable' }
  | { readonly status: 'at-risk'; readonly problems: readonly string[] }
  | { readonly status: 'unknown'; readonly reason: string };

/** `field:value` lines of an INFO section. */
const infoField = (info: string, field: string): string | undefined =>
  new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();

/**
 * Whether Redis keeps queued commands across a restart (AOF on) and never drops keys under memory
 * pressure (maxmemory-policy noeviction), as BullMQ requires. Read with INFO, which managed Redis
 * services allow where CONFIG GET is often refused.
 */
export const checkRedisDurability = async (redis: RedisConnection): Promise<RedisDurability> => {
  if (!redis.isCluster) return checkServer(redis as Redis);
  // a cluster keeps what it was given when every master does
  const masters = redisServers(redis);
  const checked = await Promise.all(masters.map(checkServer));
  const unknown = checked.find((one) => one.status === 'unknown');
  if (unknown) return unknown;
  const problems = checked.flatMap((one, index) =>
    one.status === 'at-risk'
      ? one.problems.map(
          (problem) => `${masters[index]?.options.host}:${masters[index]?.options.port}: ${problem}`,
        )
      : [],
  );
  return problems.length === 0 ? { status: 'durable' } : { status: 'at-risk', problems };
};

const checkServer = async (redis: Redis): Promise<RedisDurability> => {
  const [persistence, memory] = await Promise.all([redis.info('persistence'), redis.info('memory')]);
  const aof = infoField(persistence, 'aof_enabled');
  const policy = infoField(memory, 'maxmemory_policy');
  if (aof === undefined || policy === undefined) {
    return { status: 'unknown', reason: 'INFO does not report aof_enabled and maxmemory_policy' };
  }
  const problems = [
    ...(aof === '1'
      ? []
      : ['append-only file off (appendonly no): a Redis restart loses every queued command']),
    ...(policy === 'noeviction'
      ? []
      : [`maxmemory-policy ${policy}: under memory pressure Redis may drop queued commands and queue state`]),
  ];
  return problems.length === 0 ? { status: 'durable' } : { status: 'at-risk', problems };
};

/**
 * The one start-up warning about Redis durability, for every pod: a warning, not a refusal (a
 * developer's Redis may well run without AOF), naming what to set. Never delays a start by more
 * than `timeoutMs`, nor fails it: Redis being down is the readiness probe's business.
 */
export const warnIfRedisNotDurable = async (
  /** REDIS_URL, or where Redis is (a cluster's nodes). */
  target: string | RedisTarget,
  logger: LoggerPort,
  timeoutMs = 2_000,
): Promise<RedisDurability> => {
  const redis = openRedis(typeof target === 'string' ? { redisUrl: target } : target, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<RedisDurability>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'unknown', reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const checked = (async (): Promise<RedisDurability> => {
    try {
      await redis.connect();
      return await checkRedisDurability(redis);
    } catch (error) {
      return { status: 'unknown', reason: (error as Error).message };
    }
  })();
  const durability = await Promise.race([checked, timedOut]);
  clearTimeout(timer);
  redis.disconnect();
  switch (durability.status) {
    case 'durable':
      break;
    case 'at-risk':
      logger.warn(
        { redis: { problems: durability.problems } },
        `Redis is not durable: ${durability.problems.join('; ')}. Run it with appendonly yes, appendfsync everysec and maxmemory-policy noeviction (docs/operations.md)`,
      );
      break;
    case 'unknown':
      logger.info({ redis: { reason: durability.reason } }, 'could not check Redis durability at start');
      break;
    default:
      return durability satisfies never;
  }
  return durability;
};
