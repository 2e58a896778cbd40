import type { Queue } from 'bullmq';
import type { CompletedRetention } from '../config/index.js';
import { recordPruned } from '../metrics/index.js';
import type { RedisConnection } from '../services/index.js';

/** Jobs removed per clean call: a sweep of a large backlog goes in batches, never one huge command. */
const BATCH = 1_000;

/**
 * BullMQ removes finished jobs past their retention only when another job of the queue completes:
 * on a shard that goes idle, the last commands' envelopes, payloads and results stayed in Redis for
 * ever. Every `min(retention, 60 s)` (at least 1 s), each queue's completed jobs older than the
 * retention are removed, idle or not, and so are the entries of the queue's event stream older than
 * it (each `completed` entry copies the job's result: BullMQ caps the stream by length only); dead
 * letters too once older than `deadLetterAgeSeconds`, when set. Each removal is counted
 * (`chronicle.retention.pruned`). A sweep that fails (Redis away) is the next one's to do: the
 * connection's reporter already says Redis is away.
 */
export const startCompletedSweep = (
  queues: readonly Queue[],
  retention: CompletedRetention,
  redis: RedisConnection,
): { stop(): void } => {
  const graceMs = retention.ageSeconds * 1_000;
  const clean = async (queue: Queue, ageMs: number, state: 'completed' | 'failed') => {
    for (;;) {
      const removed = (await queue.clean(ageMs, BATCH, state)).length;
      recordPruned(state === 'completed' ? 'completed_job' : 'dead_letter', removed);
      if (removed < BATCH) return;
    }
  };
  const sweepQueue = async (queue: Queue) => {
    await clean(queue, graceMs, 'completed');
    recordPruned('job_event', await redis.xtrim(queue.toKey('events'), 'MINID', Date.now() - graceMs));
    if (retention.deadLetterAgeSeconds !== undefined)
      await clean(queue, retention.deadLetterAgeSeconds * 1_000, 'failed');
  };
  let sweeping = false; // one sweep at a time: a slow one is not stacked on
  const timer = setInterval(
    () => {
      if (sweeping) return;
      sweeping = true;
      void Promise.allSettled(queues.map(sweepQueue)).finally(() => {
        sweeping = false;
      });
    },
    Math.max(1_000, Math.min(graceMs, 60_000)),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
