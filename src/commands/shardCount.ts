import { ChronicleError } from '../errors/index.js';
import type { RedisConnection } from '../services/index.js';

/** Where a deployment's shard count is kept: beside its queues, under the same prefix. */
export const shardCountKey = (prefix: string): string => `${prefix}:shards`;

/**
 * Records the deployment's shard count the first time anyone asks (SET NX) and refuses a different
 * one. An aggregate's queue is its hash modulo the count: a client or pod counting otherwise sends
 * the aggregate's commands to another queue than the rest, where they run beside them, out of
 * order. Changing the count is deliberate: drain the queues, stop every client and pod, delete the
 * key (docs/operations.md).
 */
export const ensureShardCount = async (
  redis: RedisConnection,
  prefix: string,
  shards: number,
): Promise<void> => {
  const key = shardCountKey(prefix);
  await redis.set(key, String(shards), 'NX');
  const recorded = Number(await redis.get(key));
  if (recorded !== shards)
    throw new ChronicleError(
      'CONFIGURATION',
      `CHRONICLE_SHARDS is ${shards} here, but the queues under prefix "${prefix}" run on ${recorded} shards (Redis key ${key}): every client and pod of a deployment must use the same count, or an aggregate's commands run in two queues out of order (docs/operations.md, CHRONICLE_SHARDS)`,
    );
};
