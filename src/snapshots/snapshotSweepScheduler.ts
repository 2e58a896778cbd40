import { Queue, Worker } from 'bullmq';
import type { LoggerPort } from '../logging/index.js';
import { openRedis, queueOptions, type RedisTarget } from '../services/index.js';
import type { SweepResult } from './sweepSnapshots.js';

export const SNAPSHOT_SWEEP_QUEUE = 'snapshot-sweep';
const SCHEDULER_ID = 'snapshot-sweep';

export type SnapshotSweeper = { close(): Promise<void> };

/**
 * The periodic sweep as a BullMQ job scheduler: every pod upserts the same scheduler (idempotent),
 * so one sweep job runs per interval across the deployment, on whichever pod takes it.
 */
export const startSnapshotSweep = async (options: {
  readonly redis: RedisTarget;
  readonly prefix: string;
  readonly everyMs: number;
  readonly sweep: () => Promise<SweepResult>;
  readonly logger: LoggerPort;
}): Promise<SnapshotSweeper> => {
  const connection = openRedis(options.redis, { maxRetriesPerRequest: null });
  const onQueue = queueOptions(connection, options.prefix, SNAPSHOT_SWEEP_QUEUE);
  const queue = new Queue(SNAPSHOT_SWEEP_QUEUE, onQueue);
  const upsert = () =>
    queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: options.everyMs },
      { name: 'sweep', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
  await upsert();
  // a Redis that lost its data (restart without AOF, failover to an empty replica) forgets the
  // schedule: look for it on every reconnect and every minute, and make it again
  const ensure = async () => {
    try {
      if (await queue.getJobScheduler(SCHEDULER_ID)) return;
      options.logger.warn(
        { scheduler: SCHEDULER_ID },
        'snapshot sweep schedule missing from Redis: made again',
      );
      await upsert();
    } catch (error) {
      options.logger.warn({ err: error }, 'could not check the snapshot sweep schedule; will retry');
    }
  };
  connection.on('ready', () => void ensure());
  const timer = setInterval(() => void ensure(), Math.min(options.everyMs, 60_000));
  timer.unref();
  const worker = new Worker(
    SNAPSHOT_SWEEP_QUEUE,
    async () => {
      const result = await options.sweep();
      if (result.taken > 0 || (result.payloadsPruned ?? 0) > 0)
        options.logger.info({ ...result }, 'snapshot sweep');
      return result;
    },
    { ...onQueue, concurrency: 1 },
  );
  worker.on('failed', (_job, error) => options.logger.warn({ err: error }, 'snapshot sweep failed'));
  return {
    close: async () => {
      clearInterval(timer);
      await worker.close();
      await queue.close();
      await connection.quit().catch(() => {});
    },
  };
};
