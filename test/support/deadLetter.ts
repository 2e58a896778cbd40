import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { shardQueueName } from '../../src/commands/index.js';
import type { ChronicleConfig } from '../../src/config/index.js';
import { waitFor } from './waitFor.js';

/**
 * Takes the next job of `shard` as a command worker would, and dead-letters it (as a permanent
 * failure does): a dead letter without a domain that fails. No command worker may run on the path.
 */
export const deadLetterNext = async (
  config: Pick<ChronicleConfig, 'redisUrl' | 'queuePrefix'>,
  shard: number,
): Promise<void> => {
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(shardQueueName(shard), null, {
    connection,
    prefix: config.queuePrefix,
    autorun: false,
  });
  try {
    const token = randomUUID();
    const job = await waitFor(() => worker.getNextJob(token), { what: `a job on shard ${shard}` });
    await job.moveToFailed(new Error('INTERNAL: the handler blew up'), token, false);
  } finally {
    await worker.close();
    await connection.quit();
  }
};
