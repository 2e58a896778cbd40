import type { JobsOptions } from 'bullmq';

/**
 * One attempt at the queue level: transient failures are retried inside the processor, in place,
 * because a BullMQ retry goes through the delayed set and would let later commands of the shard
 * overtake it. Completed jobs are kept a day (the result of a command stays readable); failed
 * jobs are kept until an operator retries or removes them: they are the dead letters.
 */
export const commandJobOptions = (commandId: string): JobsOptions => ({
  jobId: commandId,
  attempts: 1,
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: false,
});
