import { queueOptions, type RedisConnection } from '../services/index.js';

/**
 * Routes an aggregate to one of `shards` queues. FNV-1a over "type/id": stable across processes,
 * releases and platforms, so every pod sends an aggregate's commands to the same queue.
 */
export const shardFor = (aggregateType: string, aggregateId: string, shards: number): number => {
  let hash = 0x811c9dc5;
  const key = `${aggregateType}/${aggregateId}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
};

const SHARD_QUEUE_STEM = 'commands-';

export const shardQueueName = (shard: number): string => `${SHARD_QUEUE_STEM}${shard}`;

/** Redis glob metacharacters, escaped so a queue prefix matches only itself in SCAN. */
const globLiteral = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * A SCAN pattern for the keys of every shard queue under `prefix` (`<prefix>:commands-3:meta`, or on a
 * cluster `{<prefix>:commands-3}:commands-3:meta`): the queue prefix queueOptions gives, around
 * shardQueueName's shape with any number.
 */
export const shardQueueKeyPattern = (connection: RedisConnection, prefix: string): string => {
  const anyShardQueue = `${SHARD_QUEUE_STEM}[0-9]*`;
  return `${queueOptions(connection, globLiteral(prefix), anyShardQueue).prefix}:${anyShardQueue}`;
};

/**
 * How many entries each shard queue's event stream keeps (BullMQ's default is 10,000). Nothing in
 * Chronicle reads that stream (answers come on reply channels), and each finished command adds
 * four or five entries, the last with its result: 8 shards held about 80,000
 * entries. Trimming is approximate (whole stream nodes), so 100 to 200 stay, enough to look at a
 * shard's last moments with XREVRANGE.
 */
export const SHARD_EVENTS_KEPT = 100;

/** A shard queue's options, the same for every Queue made on it (BullMQ stores the cap in the queue). */
export const shardQueueOptions = (connection: RedisConnection, prefix: string, shard: number) => ({
  ...queueOptions(connection, prefix, shardQueueName(shard)),
  streams: { events: { maxLen: SHARD_EVENTS_KEPT } },
});
