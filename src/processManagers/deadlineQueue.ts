import { Queue } from 'bullmq';
import { startCompletedSweep } from '../commands/completedSweep.js';
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

/** A fired deadline is kept a day, so scheduling it again stays a no-op. */
const FIRED_KEEP_SECONDS = 24 * 3600;

/**
 * The deadlines' delayed jobs. A fired one is kept a day (so scheduling it again stays a no-op);
 * one that failed every attempt is kept `deadLetterAgeSeconds` when given (CHRONICLE_DEAD_LETTER_KEEP_DAYS),
 * else until removed. BullMQ removes old jobs only when another completes: a sweep bounds them
 * when no deadline fires for a while, as the command pods' sweep does for idle shards.
 */
export const createDeadlineQueue = (
  connection: RedisConnection,
  prefix: string,
  deadLetterAgeSeconds?: number,
): DeadlineQueue => {
  const queue = new Queue<DeadlineJob>(DEADLINES_QUEUE, queueOptions(connection, prefix, DEADLINES_QUEUE));
  const sweep = startCompletedSweep(
    [queue],
    {
      ageSeconds: FIRED_KEEP_SECONDS,
      count: Number.MAX_SAFE_INTEGER,
      ...(deadLetterAgeSeconds === undefined ? {} : { deadLetterAgeSeconds }),
    },
    connection,
  );
  return {
    schedule: async (job, at) => {
      await queue.add(job.name, job, {
        jobId: job.deadlineId,
        delay: Math.max(0, new Date(at).getTime() - Date.now()),
        // an outage while firing is retried; the instance ignores a deadline it already handled
        attempts: 8,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: FIRED_KEEP_SECONDS },
        removeOnFail: deadLetterAgeSeconds === undefined ? false : { age: deadLetterAgeSeconds },
      });
    },
    cancel: async (deadlineId) => {
      await queue.remove(deadlineId);
    },
    close: async () => {
      sweep.stop();
      await queue.close();
    },
  };
};
