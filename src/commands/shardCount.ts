import { DEFAULT_SHARDS, type ShardsSetting } from '../config/index.js';
import { ChronicleError } from '../errors/index.js';
import { type RedisConnection, redisServers } from '../services/index.js';
import { shardQueueKeyPattern } from './shardFor.js';

/** Where a deployment's shard count is kept: beside its queues, under the same prefix. */
export const shardCountKey = (prefix: string): string => `${prefix}:shards`;

/**
 * The default shard count before counts were recorded. A deployment whose shard queues exist but
 * which recorded nothing ran on code from before the record, and, unless it set CHRONICLE_SHARDS
 * (then its clients and pods still set it), on this default: a client or pod left at the default
 * keeps routing there, so old and new pods of a rolling upgrade share one queue per aggregate.
 */
export const PRE_RECORD_DEFAULT_SHARDS = 8;

const refuse = (message: string) => new ChronicleError('CONFIGURATION', message);

/** The count recorded for the prefix, if any; a value that is no count stops everyone. */
const recordedCount = async (redis: RedisConnection, prefix: string): Promise<number | undefined> => {
  const key = shardCountKey(prefix);
  const value = await redis.get(key);
  if (value === null) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1)
    throw refuse(
      `Redis key ${key} holds "${value}", not a shard count (docs/operations.md, CHRONICLE_SHARDS)`,
    );
  return count;
};

/**
 * Whether any shard queue has keys under the prefix, on any master. Stops at the first key; a prefix
 * with none is scanned through, once per deployment (later starts find the recorded count). Called
 * after a command on the connection, so a cluster's masters are known by then.
 */
const hasShardQueues = async (redis: RedisConnection, prefix: string): Promise<boolean> => {
  const pattern = shardQueueKeyPattern(redis, prefix);
  for (const server of redisServers(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) return true;
      cursor = next;
    } while (cursor !== '0');
  }
  return false;
};

/** The count a prefix with nothing recorded runs on: the chosen one, else its queues' old default or the new one. */
const unrecordedCount = async (redis: RedisConnection, prefix: string, shards: ShardsSetting) => {
  if (shards !== 'default') return shards;
  return (await hasShardQueues(redis, prefix)) ? PRE_RECORD_DEFAULT_SHARDS : DEFAULT_SHARDS;
};

/**
 * The shard count to route commands with and to start shard workers for, recorded the first time
 * anyone asks (SET NX). An aggregate's queue is its hash modulo the count: a client or pod counting
 * otherwise sends the aggregate's commands to another queue than the rest, where they run beside
 * them, out of order. So a recorded count is adopted by a client or pod left at the default and
 * refuses one that chose another (CONFIGURATION). Changing the count is deliberate: drain the queues,
 * stop every client and pod, delete the key, start them with the new count (docs/operations.md).
 */
export const resolveShardCount = async (
  redis: RedisConnection,
  prefix: string,
  shards: ShardsSetting,
): Promise<number> => {
  const key = shardCountKey(prefix);
  let recorded = await recordedCount(redis, prefix);
  if (recorded === undefined) {
    const count = await unrecordedCount(redis, prefix, shards);
    await redis.set(key, String(count), 'NX');
    // another client or pod may have recorded its count first
    recorded = (await recordedCount(redis, prefix)) ?? count;
  }
  if (shards !== 'default' && shards !== recorded)
    throw refuse(
      `CHRONICLE_SHARDS is ${shards} here, but the queues under prefix "${prefix}" run on ${recorded} shards (Redis key ${key}): every client and pod of a deployment must use the same count, or an aggregate's commands run in two queues out of order (docs/operations.md, CHRONICLE_SHARDS)`,
    );
  return recorded;
};

/** What a running pod found when it checked the deployment's record of its shard count. */
export type RecordedCountCheck =
  | { readonly status: 'kept' }
  | { readonly status: 'restored' }
  | { readonly status: 'conflict'; readonly recorded: number };

/**
 * A running pod's check that Redis still records the count it runs on, recording it again when
 * Redis lost it (a restart without persistence, a failover to an empty replica, a FLUSHALL). Else
 * the next client left at the default would find neither a record nor queues, record 32 and route
 * beside pods that run on the count they adopted (8, say): its commands would wait in queues no
 * pod serves, or race the old clients' in two queues. A different count recorded meanwhile is a
 * conflict the pod cannot settle: it reports it (readiness) and the operator does.
 */
export const recheckShardCount = async (
  redis: RedisConnection,
  prefix: string,
  shards: number,
): Promise<RecordedCountCheck> => {
  if ((await redis.set(shardCountKey(prefix), String(shards), 'NX')) === 'OK') return { status: 'restored' };
  const recorded = await recordedCount(redis, prefix);
  if (recorded === undefined || recorded === shards) return { status: 'kept' };
  return { status: 'conflict', recorded };
};

/**
 * The shard count to look commands up with (status, dead letters, counts): the recorded one, else
 * the one resolveShardCount would record. Records nothing, so a lookup on a deployment whose pods
 * have not started yet does not choose their count, and refuses nothing: a lookup breaks no order.
 */
export const lookupShardCount = async (
  redis: RedisConnection,
  prefix: string,
  shards: ShardsSetting,
): Promise<number> => (await recordedCount(redis, prefix)) ?? unrecordedCount(redis, prefix, shards);
