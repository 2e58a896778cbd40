import { type Job, type Queue, WaitingError, Worker } from 'bullmq';
import { ActorHost, type ActorHostOptions } from '../actorHost/index.js';
import { type Aggregate, type AggregateRegistry, createAggregateRegistry } from '../aggregate/index.js';
import {
  type ChronicleConfig,
  type CompletedRetention,
  completedRetentionFromEnv,
  defaultConfig,
} from '../config/index.js';
import { createPodOrm, type Orm, openPodOrm, type PodOrm, type PodOrmOptions } from '../db/index.js';
import type { EventSchemas } from '../eventSchemas/index.js';
import { createPostgresEventStore, type EventStore } from '../eventStore/index.js';
import { createLogger, type LoggerPort } from '../logging/index.js';
import type { CommandEnvelope, CommandResult } from '../messages/index.js';
import type { ReadinessCheck } from '../observability/index.js';
import { withoutPersonalData } from '../personalData/index.js';
import { ReleaseRegistry, releaseManifest } from '../releases/index.js';
import { openRedis, queueOptions, type RedisConnection } from '../services/index.js';
import { CommandBacklog } from './commandBacklog.js';
import { commandJobProcessor } from './commandJobProcessor.js';
import { type CommandReply, publishReply, publishReplyBehindCompletion } from './commandReply.js';
import { startCompletedSweep } from './completedSweep.js';
import { createConnectionErrorReporter, redisLabel } from './connectionErrorReporter.js';
import type { RetryPolicy } from './retryInPlace.js';
import { ShardConcurrencyGuard } from './shardConcurrencyGuard.js';
import { shardQueueName } from './shardFor.js';
import { ShardQueues } from './shardQueues.js';
import { fullResult, type StoredResult, storedResult } from './storedResult.js';
import { createVersionSkewGate, type VersionSkewGate } from './versionSkewGate.js';

export type CommandWorkerOptions = PodOrmOptions & {
  readonly config: ChronicleConfig;
  readonly aggregates: readonly Aggregate[];
  readonly actors?: ActorHostOptions;
  readonly retry?: RetryPolicy;
  readonly logger?: LoggerPort;
  /**
   * How long finished commands stay in Redis (the senders' CHRONICLE_COMPLETED_KEEP_S): the worker
   * sweeps what is older, idle shards included. Default: from the environment.
   */
  readonly completedRetention?: CompletedRetention;
  /** The pod's id, recorded on each job it takes (BullMQ's `processedBy`): the cluster view names who runs each shard. */
  readonly podId?: string;
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
    /** The deployment's shard count this pod runs a worker for each of (config.shards resolved). */
    readonly shards: number,
    private readonly workers: readonly Worker[],
    readonly host: ActorHost,
    private readonly pool: PodOrm,
    private readonly connection: RedisConnection,
    private readonly guard: ShardConcurrencyGuard,
    private readonly queues: readonly Queue[],
    private readonly stopping: AbortController,
    private readonly backlog: CommandBacklog,
    private readonly sweep: { stop(): void },
    private readonly releases: ReleaseRegistry,
  ) {}

  static async start(options: CommandWorkerOptions): Promise<CommandWorker> {
    const { config } = options;
    const logger = options.logger ?? createLogger('command-worker');
    const pool = await openPodOrm(options, () => createPodOrm(config, 'command'));
    const registry = createAggregateRegistry(options.aggregates);
    const host = createHost(pool.orm, registry, options);
    // an outage is one warning line, not a line (or a stack) per connection and reconnect attempt
    const redisErrors = createConnectionErrorReporter(logger, `command worker: ${redisLabel(config)}`);
    const connection = redisErrors.watch(openRedis(config, { maxRetriesPerRequest: null }));
    connection.on('ready', () => redisErrors.recovered());
    // the count is resolved (recorded, adopted or refused) before any queue opens
    const shardQueues = new ShardQueues(connection, config.queuePrefix, config.shards, redisErrors.watch);
    let shards: number;
    try {
      shards = await shardQueues.routingCount();
    } catch (error) {
      connection.disconnect();
      await pool.close();
      throw error;
    }
    // what this release knows, in Redis while it runs: a command only another release knows is left to it
    const releases = await ReleaseRegistry.start(
      connection,
      config.queuePrefix,
      releaseManifest(options.aggregates),
      logger,
    );
    const skew = createVersionSkewGate({
      aggregates: registry,
      releases,
      redis: connection,
      prefix: config.queuePrefix,
      waitMs: config.versionSkewWaitMs ?? defaultConfig.versionSkewWaitMs ?? 60_000,
    });
    const workers: Worker[] = [];
    const queues = await shardQueues.all();
    const guard = new ShardConcurrencyGuard(queues, () => workers, connection, config.queuePrefix, logger);
    await Promise.all(queues.map((queue) => queue.setGlobalConcurrency(1)));
    // aborted on stop: a command waiting out an outage goes back to the head of its queue
    const stopping = new AbortController();
    const shard: ShardWorkerContext = {
      host,
      guard,
      connection,
      config,
      logger,
      retry: options.retry,
      stopping: stopping.signal,
      skew,
      schemas: registry.schemas,
      podId: options.podId,
    };
    for (let index = 0; index < shards; index++)
      workers.push(redisErrors.watch(startShardWorker(index, shard)));
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    // the count it runs on, and whether CHRONICLE_SHARDS chose it or the deployment's record did
    logger.info(
      { shards, shardsSetting: config.shards, prefix: config.queuePrefix },
      'command worker started',
    );
    const backlog = new CommandBacklog(connection, queues, logger);
    const sweep = startCompletedSweep(
      queues,
      options.completedRetention ?? completedRetentionFromEnv(),
      connection,
    );
    return new CommandWorker(
      shards,
      workers,
      host,
      pool,
      connection,
      guard,
      queues,
      stopping,
      backlog,
      sweep,
      releases,
    );
  }

  /**
   * Ready while every shard worker runs and Redis holds what the shards need: every shard queue's
   * one-job limit and this pod's shard count as the deployment's record (the pod adds the
   * PostgreSQL and Redis checks).
   */
  readinessChecks(): Record<string, ReadinessCheck> {
    return {
      workers: async () => this.workers.every((worker) => worker.isRunning()),
      shardsInRedis: () => this.guard.check(),
    };
  }

  #stopped: Promise<void> | undefined;

  /** Finishes the commands in hand, then closes queues and connections (once, however often asked). */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.stopping.abort();
    this.guard.stop();
    this.backlog.stop();
    this.sweep.stop();
    this.releases.stop();
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all(this.queues.map((queue) => queue.close()));
    this.host.stop();
    await this.pool.close();
    await this.connection.quit();
  }
}

/** The actor host of a pod: its aggregates over the pod's event store (decorated, if asked). */
const createHost = (orm: Orm, registry: AggregateRegistry, options: CommandWorkerOptions): ActorHost => {
  const store = createPostgresEventStore(orm, { schemas: registry.schemas });
  return new ActorHost(
    options.decorateStore ? options.decorateStore(store) : store,
    registry,
    options.actors,
  );
};

/** What every shard worker of a pod shares. */
type ShardWorkerContext = {
  readonly host: ActorHost;
  readonly guard: ShardConcurrencyGuard;
  readonly connection: RedisConnection;
  readonly config: ChronicleConfig;
  readonly logger: LoggerPort;
  readonly retry: RetryPolicy | undefined;
  readonly stopping: AbortSignal;
  /** Leaves a command only another running release knows to a pod of that release. */
  readonly skew: VersionSkewGate;
  /** The domain's event schemas: what a result keeps in Redis leaves their personal fields out. */
  readonly schemas: EventSchemas;
  /** Names the pod on the jobs it takes (the cluster view). */
  readonly podId: string | undefined;
};

/**
 * One shard's BullMQ worker: admitted by the guard, the job processed, the result kept trimmed
 * (storedResult), the answer published to the waiting client once the job is finished in Redis
 * (so status() agrees); a failure is final (one attempt: a dead letter) and answered too.
 */
const startShardWorker = (
  shard: number,
  context: ShardWorkerContext,
): Worker<CommandEnvelope, StoredResult> => {
  const { host, guard, connection, config, logger, retry, stopping, skew, schemas, podId } = context;
  const name = shardQueueName(shard);
  const lockDuration = config.commandLockMs;
  const processJob = commandJobProcessor({ host, shard, retry, logger, stopping, skew });
  const reply = (job: Job<CommandEnvelope>, result: CommandResult): CommandReply => ({
    status: 'completed',
    shard,
    commandId: job.data.commandId,
    result,
  });
  // results with personal data, held for the reply a cluster's worker publishes on completion
  const wholeResults = new Map<string, CommandResult>();
  const worker = new Worker<CommandEnvelope, StoredResult>(
    name,
    async (job, token) => {
      // admitted first (ShardConcurrencyGuard.admit): a job taken while Redis had lost the shard's
      // limit waits for the jobs taken before it; stopping meanwhile, it goes back to its queue
      if (!(await guard.admit(shard, job.id ?? '', stopping))) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      const result = await processJob(job, token);
      // the waiting client hears the result whole; Redis keeps it trimmed of what the envelope
      // says (storedResult) and of personal data (the job is removed as it completes, jobOptions)
      const stored = storedResult(result, job.data);
      const kept = withoutPersonalData(schemas, stored);
      if (!connection.isCluster)
        publishReplyBehindCompletion(connection, job.data.replyTo, reply(job, result));
      // on a cluster the reply waits for completion: a result whose personal data Redis lost is
      // held here until then, any other is rebuilt from what the job kept
      else if (kept !== stored) wholeResults.set(job.id ?? '', result);
      return kept;
    },
    {
      ...queueOptions(connection, config.queuePrefix, name),
      concurrency: 1,
      ...(podId ? { name: podId } : {}),
      lockDuration,
      // renewed three times per lock period, so a busy pod keeps it; a dead pod's lock runs out
      // within lockDuration, and the next stalled check (every third of it) takes the job over
      lockRenewTime: Math.max(100, Math.floor(lockDuration / 3)),
      stalledInterval: Math.max(500, Math.floor(lockDuration / 3)),
      maxStalledCount: 10,
      autorun: true,
    },
  );
  if (connection.isCluster)
    worker.on('completed', (job, stored) => {
      const whole = wholeResults.get(job.id ?? '') ?? fullResult(stored, job.data);
      wholeResults.delete(job.id ?? '');
      publishReply(connection, job.data.replyTo, reply(job, whole));
    });
  // one attempt per job: a failure is final (a dead letter)
  worker.on('failed', (job, error) => {
    if (job)
      publishReply(connection, job.data.replyTo, {
        status: 'failed',
        shard,
        commandId: job.data.commandId,
        reason: job.failedReason || error.message,
      });
  });
  return worker;
};
