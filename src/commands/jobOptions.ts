import type { JobsOptions } from 'bullmq';
import type { CompletedRetention } from '../config/index.js';

/**
 * One attempt at the queue level: transient failures are retried inside the processor, in place,
 * because a BullMQ retry goes through the delayed set and would let later commands of the shard
 * overtake it. Completed jobs are kept as `retention` says (default a day or 100,000 per shard),
 * so a command's result stays readable; failed jobs are kept until an operator retries or
 * removes them: they are the dead letters. A command to an aggregate with personal data
 * (`personal`) is removed as it completes: its payload and result would keep that data in Redis in
 * plain text; its status is then answered by the command ledger, as after the retention.
 */
export const commandJobOptions = (
  commandId: string,
  retention: CompletedRetention,
  personal = false,
): JobsOptions => ({
  jobId: commandId,
  attempts: 1,
  removeOnComplete: personal ? true : { age: retention.ageSeconds, count: retention.count },
  removeOnFail: false,
});
