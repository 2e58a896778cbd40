import { Queue } from 'bullmq';
import { shardQueueName, shardQueueOptions } from '../commands/index.js';
import type { ChronicleConfig } from '../config/index.js';
import type { RedisConnection } from '../services/index.js';

/** One handle per command shard queue, for reading their failed sets and counts. */
export const openShardQueues = (config: ChronicleConfig, connection: RedisConnection): Queue[] =>
  Array.from(
    { length: config.shards },
    (_, shard) => new Queue(shardQueueName(shard), shardQueueOptions(connection, config.queuePrefix, shard)),
  );
