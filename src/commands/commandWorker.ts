import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ActorHost, type ActorHostOptions } from '../actorHost/index.js';
import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { createOrm, type Orm } from '../db/index.js';
import { createPostgresEventStore, type EventStore } from '../eventStore/index.js';
import { createLogger, type LoggerPort } from '../logging/index.js';
import type { CommandEnvelope, CommandResult } from '../messages/index.js';
import type { ReadinessCheck } from '../observability/index.js';
import { commandJobProcessor } from './commandJobProcessor.js';
import { publishReply } from './commandReply.js';
import type { RetryPolicy } from './retryInPlace.js';
import { shardQueueName } from './shardFor.js';

export type CommandWorkerOptions = {
  readonly config: ChronicleConfig;
  readonly aggregates: readonly Aggregate[];
  readonly actors?: ActorHostOptions;
  readonly retry?: RetryPolicy;
  readonly logger?: LoggerPort;
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
      const processJob = commandJobProcessor({ host, shard, retry: options.retry, logger });
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
      // once the job is finished in Redis (so status() agrees), the waiting client hears the answer
      worker.on('completed', (job, result) =>
        publishReply(connection, job.data.replyTo, {
          status: 'completed',
          commandId: job.data.commandId,
          result,
        }),
      );
      // one attempt per job: a failure is final (a dead letter)
      worker.on('failed', (job, error) => {
        if (job)
          publishReply(connection, job.data.replyTo, {
            status: 'failed',
            commandId: job.data.commandId,
            reason: job.failedReason || error.message,
          });
      });
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
