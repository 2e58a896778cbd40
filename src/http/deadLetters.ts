import type { Job, Queue } from 'bullmq';
import { parseFailureReason } from '../errors/index.js';
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
  /** A typed code and a short message; the full error is in the command worker's log. */
  readonly code: string;
  readonly reason: string;
  readonly failedAt?: string;
  readonly shard: number;
};

export type DeadLetterDrop =
  | { readonly status: 'dropped'; readonly commandId: string }
  | { readonly status: 'not-found'; readonly commandId: string }
  | { readonly status: 'not-failed'; readonly commandId: string; readonly state: string };

export type DeadLetterRetry =
  | { readonly status: 'retried'; readonly commandId: string }
  | { readonly status: 'not-found'; readonly commandId: string }
  /** Only failed commands are retried; this one is queued, running or done. */
  | { readonly status: 'not-failed'; readonly commandId: string; readonly state: string };

const toDeadLetter = (job: Job<CommandEnvelope>, shard: number): DeadLetter => {
  const { code, message } = parseFailureReason(job.failedReason ?? '');
  return {
    commandId: job.data.commandId,
    aggregateType: job.data.aggregateType,
    aggregateId: job.data.aggregateId,
    type: job.data.type,
    correlationId: job.data.correlationId,
    issuedAt: job.data.issuedAt,
    ...(job.data.issuedBy ? { issuedBy: job.data.issuedBy } : {}),
    code,
    reason: message,
    ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
    shard,
  };
};

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

/** Removes a dead letter for good: the command never runs (a resend of its id starts afresh). */
export const dropDeadLetter = async (
  queues: readonly Queue[],
  commandId: string,
): Promise<DeadLetterDrop> => {
  for (const queue of queues) {
    const job = await queue.getJob(commandId);
    if (!job) continue;
    const state = await job.getState();
    if (state !== 'failed') return { status: 'not-failed', commandId, state };
    await job.remove();
    return { status: 'dropped', commandId };
  }
  return { status: 'not-found', commandId };
};
