import { Queue } from 'bullmq';
import { shardQueueName } from '../commands/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { queueOptions, type RedisConnection } from '../services/index.js';

/** One handle per command shard queue, for reading their failed sets and counts. */
export const openShardQueues = (config: ChronicleConfig, connection: RedisConnection): Queue[] =>
  Array.from({ length: config.shards }, (_, shard) => {
    const name = shardQueueName(shard);
    return new Queue(name, queueOptions(connection, config.queuePrefix, name));
  });
