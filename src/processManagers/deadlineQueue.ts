import { Queue } from 'bullmq';
import { queueOptions, type RedisConnection } from '../services/index.js';
import type { ProcessInput } from './processTypes.js';

export const DEADLINES_QUEUE = 'process-deadlines';

/** A scheduled deadline as its delayed job carries it. */
export type DeadlineJob = {
  readonly processManager: string;
  readonly key: string;
  readonly deadlineId: string;
  readonly name: string;
  readonly input: Omit<ProcessInput, 'source'>;
  readonly correlationId: string;
  /** The id of the instance's event that scheduled it: the cause of what the deadline brings about. */
  readonly scheduledBy: string;
};

export type DeadlineQueue = {
  /** A delayed job with id = deadline id: scheduling it again is a no-op, so it fires once. */
  schedule(job: DeadlineJob, at: string): Promise<void>;
  /** Removes the job; one already running is ignored by the instance (no longer pending). */
  cancel(deadlineId: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * The deadlines' delayed jobs. A fired one is kept a day (so scheduling it again stays a no-op);
 * one that failed every attempt is kept `deadLetterAgeSeconds` when given (CHRONICLE_DEAD_LETTER_KEEP_DAYS),
 * else until removed.
 */
export const createDeadlineQueue = (
  connection: RedisConnection,
  prefix: string,
  deadLetterAgeSeconds?: number,
): DeadlineQueue => {
  const queue = new Queue<DeadlineJob>(DEADLINES_QUEUE, queueOptions(connection, prefix, DEADLINES_QUEUE));
  return {
    schedule: async (job, at) => {
      await queue.add(job.name, job, {
        jobId: job.deadlineId,
        delay: Math.max(0, new Date(at).getTime() - Date.now()),
        // an outage while firing is retried; the instance ignores a deadline it already handled
        attempts: 8,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: deadLetterAgeSeconds === undefined ? false : { age: deadLetterAgeSeconds },
      });
    },
    cancel: async (deadlineId) => {
      await queue.remove(deadlineId);
    },
    close: () => queue.close(),
  };
};
