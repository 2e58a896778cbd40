import type { Queue } from 'bullmq';
import type { CompletedRetention } from '../config/index.js';

/** Jobs removed per clean call: a sweep of a large backlog goes in batches, never one huge command. */
const BATCH = 1_000;

/**
 * BullMQ removes finished jobs past their retention only when another job of the queue completes:
 * on a shard that goes idle, the last commands' envelopes, payloads and results stayed in Redis for
 * ever. Every `min(retention, 60 s)` (at least 1 s), each queue's completed jobs older than the
 * retention are removed, idle or not. A sweep that fails (Redis away) is the next one's to do:
 * the connection's reporter already says Redis is away.
 */
export const startCompletedSweep = (
  queues: readonly Queue[],
  retention: CompletedRetention,
): { stop(): void } => {
  const graceMs = retention.ageSeconds * 1_000;
  const sweepQueue = async (queue: Queue) => {
    while ((await queue.clean(graceMs, BATCH, 'completed')).length === BATCH) {}
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
