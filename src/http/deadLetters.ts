import type { Job, Queue } from 'bullmq';
import type { CommandEnvelope } from '../messages/index.js';

/** A command that failed for good (retries in place exhausted): it waits in its shard's failed set. */
export type DeadLetter = {
  readonly commandId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  readonly correlationId: string;
  readonly issuedAt: string;
  readonly issuedBy?: string;
  readonly reason: string;
  readonly failedAt?: string;
  readonly shard: number;
};

export type DeadLetterRetry =
  | { readonly status: 'retried'; readonly commandId: string }
  | { readonly status: 'not-found'; readonly commandId: string }
  /** Only failed commands are retried; this one is queued, running or done. */
  | { readonly status: 'not-failed'; readonly commandId: string; readonly state: string };

const toDeadLetter = (job: Job<CommandEnvelope>, shard: number): DeadLetter => ({
  commandId: job.data.commandId,
  aggregateType: job.data.aggregateType,
  aggregateId: job.data.aggregateId,
  type: job.data.type,
  correlationId: job.data.correlationId,
  issuedAt: job.data.issuedAt,
  ...(job.data.issuedBy ? { issuedBy: job.data.issuedBy } : {}),
  reason: job.failedReason,
  ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
  shard,
});

/** The newest dead letters across the shard queues, at most `limit`. Payloads are left out. */
export const listDeadLetters = async (queues: readonly Queue[], limit = 100): Promise<DeadLetter[]> => {
  const perQueue = await Promise.all(
    queues.map(async (queue, shard) =>
      (await queue.getFailed(0, limit - 1)).filter(Boolean).map((job) => toDeadLetter(job, shard)),
    ),
  );
  return perQueue
    .flat()
    .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
    .slice(0, limit);
};

export const countDeadLetters = async (queues: readonly Queue[]): Promise<number> =>
  (await Promise.all(queues.map((queue) => queue.getFailedCount()))).reduce((sum, count) => sum + count, 0);

/**
 * Puts a dead letter back in its queue. It goes to the end of the shard queue: commands of its
 * aggregate sent since it failed have already run, so it may now be rejected where it once fitted.
 */
export const retryDeadLetter = async (
  queues: readonly Queue[],
  commandId: string,
): Promise<DeadLetterRetry> => {
  for (const queue of queues) {
    const job = await queue.getJob(commandId);
    if (!job) continue;
    const state = await job.getState();
    if (state !== 'failed') return { status: 'not-failed', commandId, state };
    await job.retry('failed');
    return { status: 'retried', commandId };
  }
  return { status: 'not-found', commandId };
};
