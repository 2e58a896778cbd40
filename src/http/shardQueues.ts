import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { shardQueueName } from '../commands/index.js';
import type { ChronicleConfig } from '../config/index.js';

/** One handle per command shard queue, for reading their failed sets and counts. */
export const openShardQueues = (config: ChronicleConfig, connection: Redis): Queue[] =>
  Array.from(
    { length: config.shards },
    (_, shard) => new Queue(shardQueueName(shard), { connection, prefix: config.queuePrefix }),
  );
