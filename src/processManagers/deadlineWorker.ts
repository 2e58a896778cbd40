import { type Job, Worker } from 'bullmq';
import { ChronicleError } from '../errors/index.js';
import type { LoggerPort } from '../logging/index.js';
import { queueOptions, type RedisConnection } from '../services/index.js';
import { DEADLINES_QUEUE, type DeadlineJob } from './deadlineQueue.js';
import type { ProcessManager } from './defineProcessManager.js';
import { handleRoutedInput, type ProcessRuntime } from './handleRoutedInput.js';
import type { RoutedInput } from './processTypes.js';

/**
 * A due deadline as an input of its instance: input id = deadline id (so it is handled once), its
 * cause the event that scheduled it. The deadline worker and the in-memory runtime's clock fire
 * deadlines through this.
 */
export const deadlineInput = (job: DeadlineJob): RoutedInput => ({
  key: job.key,
  inputId: job.deadlineId,
  correlationId: job.correlationId,
  causationId: job.scheduledBy,
  input: { ...job.input, source: { deadlineId: job.deadlineId } },
});

/**
 * Fires due deadlines: each job's input goes to its instance like any input (input id = deadline
 * id), so a job run twice (a pod died mid-way and BullMQ ran it again) is handled once, and a
 * deadline cancelled after it was taken is ignored. Failures are retried by BullMQ with backoff.
 */
export const startDeadlineWorker = (options: {
  readonly connection: RedisConnection;
  readonly prefix: string;
  readonly processManagers: readonly ProcessManager[];
  readonly runtime: ProcessRuntime;
  readonly logger: LoggerPort;
  readonly concurrency?: number;
  /** How long a pod holds a firing job before another may take it over (as for commands). */
  readonly lockMs: number;
}): Worker<DeadlineJob> => {
  const byName = new Map(options.processManagers.map((pm) => [pm.name, pm]));
  const fire = async (job: Job<DeadlineJob>) => {
    const processManager = byName.get(job.data.processManager);
    // another deployment's process manager shares the queue prefix: leave its job to it
    if (!processManager)
      throw new ChronicleError(
        'CONFIGURATION',
        `no process manager "${job.data.processManager}" in this pod`,
      );
    await handleRoutedInput(options.runtime, processManager, deadlineInput(job.data));
  };
  const worker = new Worker<DeadlineJob>(DEADLINES_QUEUE, fire, {
    ...queueOptions(options.connection, options.prefix, DEADLINES_QUEUE),
    concurrency: options.concurrency ?? 8,
    lockDuration: options.lockMs,
    stalledInterval: Math.max(1_000, Math.floor(options.lockMs / 2)),
  });
  worker.on('failed', (job, error) =>
    options.logger.warn({ deadlineId: job?.id, err: error }, 'deadline failed, BullMQ retries it'),
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'deadline worker error'));
  return worker;
};
