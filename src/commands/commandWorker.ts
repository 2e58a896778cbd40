import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ActorHost, type ActorHostOptions } from '../actorHost/index.js';
import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { createOrm, type Orm } from '../db/index.js';
import { createPostgresEventStore, type EventStore } from '../eventStore/index.js';
import { createLogger, type Logger, withCorrelationBaggage } from '../logging/index.js';
import type { CommandEnvelope, CommandResult } from '../messages/index.js';
import { recordCommandProcessed, recordQueueWait } from '../metrics/index.js';
import type { ReadinessCheck } from '../observability/index.js';
import { attr, contextFrom, withSpan } from '../tracing/index.js';
import { commandAttributes } from './commandAttributes.js';
import { type RetryPolicy, retryInPlace } from './retryInPlace.js';
import { shardQueueName } from './shardFor.js';

export type WorkerLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export type CommandWorkerOptions = {
  readonly config: ChronicleConfig;
  readonly aggregates: readonly Aggregate[];
  readonly actors?: ActorHostOptions;
  readonly retry?: RetryPolicy;
  readonly logger?: WorkerLogger;
  /** Decorates the event store (instrumentation, fault injection in tests). */
  readonly decorateStore?: (store: EventStore) => EventStore;
};

/**
 * A command-worker pod's engine: one BullMQ worker per shard queue, each queue limited to one
 * active job across all pods (global concurrency 1), so an aggregate's commands run one at a time
 * in enqueue order wherever they run.
 */
export class CommandWorker {
  private constructor(
    private readonly workers: readonly Worker[],
    readonly host: ActorHost,
    private readonly orm: Orm,
    private readonly connection: Redis,
  ) {}

  static async start(options: CommandWorkerOptions): Promise<CommandWorker> {
    const { config } = options;
    const logger = options.logger ?? createLogger('command-worker');
    const orm = await createOrm(config.databaseUrl);
    const store = createPostgresEventStore(orm);
    const host = new ActorHost(
      options.decorateStore ? options.decorateStore(store) : store,
      createAggregateRegistry(options.aggregates),
      options.actors,
    );
    const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    const lockDuration = config.commandLockMs;
    const workers: Worker[] = [];
    for (let shard = 0; shard < config.shards; shard++) {
      const name = shardQueueName(shard);
      const queue = new Queue(name, { connection, prefix: config.queuePrefix });
      await queue.setGlobalConcurrency(1);
      await queue.close();
      const processJob = async (job: Job<CommandEnvelope>) => {
        const envelope = job.data;
        const parent = contextFrom(envelope);
        return withSpan(
          'consumer',
          `process ${envelope.type}`,
          { parent, attributes: commandAttributes(envelope, shard, 'process') },
          (span) =>
            withCorrelationBaggage(envelope.correlationId, async () => {
              if (job.processedOn)
                recordQueueWait({ commandType: envelope.type, waitMs: job.processedOn - job.timestamp });
              const outcome = await retryInPlace(
                () => host.handle(envelope),
                options.retry,
                (error, attempt, delayMs) =>
                  logger.warn(
                    { commandId: envelope.commandId, attempt, delayMs: Math.round(delayMs), err: error },
                    'command failed, retrying in place',
                  ),
              );
              if (outcome.status === 'failed') {
                recordCommandProcessed({
                  commandType: envelope.type,
                  outcome: 'failed',
                  latencyMs: Date.now() - job.timestamp,
                });
                const reason = (outcome.error as Error)?.message ?? String(outcome.error);
                logger.error({ commandId: envelope.commandId, err: outcome.error }, 'command dead-lettered');
                throw new UnrecoverableError(`after ${outcome.attempts} attempts: ${reason}`);
              }
              const result = outcome.value;
              span.setAttribute(attr.outcome, result.status);
              if (result.status === 'accepted') span.setAttribute(attr.aggregateVersion, result.version);
              else span.setAttribute(attr.rejectionCode, result.code);
              recordCommandProcessed({
                commandType: envelope.type,
                outcome: result.status,
                latencyMs: Date.now() - job.timestamp,
              });
              return result;
            }),
        );
      };
      const worker = new Worker<CommandEnvelope, CommandResult>(name, processJob, {
        connection,
        prefix: config.queuePrefix,
        concurrency: 1,
        lockDuration,
        stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
        maxStalledCount: 10,
        autorun: true,
      });
      worker.on('error', (error) => logger.error({ err: error, queue: name }, 'worker error'));
      workers.push(worker);
    }
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    logger.info({ shards: config.shards, prefix: config.queuePrefix }, 'command worker started');
    return new CommandWorker(workers, host, orm, connection);
  }

  /** Ready while every shard worker runs (the pod adds the PostgreSQL and Redis checks). */
  readinessChecks(): Record<string, ReadinessCheck> {
    return { workers: async () => this.workers.every((worker) => worker.isRunning()) };
  }

  /** Finishes the commands in hand, then closes queues and connections. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.host.stop();
    await this.orm.close(true);
    await this.connection.quit();
  }
}
