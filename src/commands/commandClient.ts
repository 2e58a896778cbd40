import { randomUUID } from 'node:crypto';
import {
  type Aggregate,
  type AggregateRegistry,
  createAggregateRegistry,
  precheckCommand,
} from '../aggregate/index.js';
import {
  type ChronicleConfig,
  type CompletedRetention,
  completedRetentionFromEnv,
  loadConfig,
} from '../config/index.js';
import { ChronicleError } from '../errors/index.js';
import { holdsPersonalData } from '../eventSchemas/index.js';
import { createLogger, type LoggerPort } from '../logging/index.js';
import {
  type CommandEnvelope,
  type CommandRequest,
  type CommandResult,
  checkEnvelope,
  type RejectedResult,
} from '../messages/index.js';
import { openRedis } from '../services/index.js';
import { withSpan } from '../tracing/index.js';
import { buildEnvelope } from './buildEnvelope.js';
import { lazyReplies } from './clientReplies.js';
import { commandAttributes } from './commandAttributes.js';
import { replyChannel } from './commandReply.js';
import { type CommandStatus, readCommandStatus } from './commandStatus.js';
import { createConnectionErrorReporter, redisLabel } from './connectionErrorReporter.js';
import type { AggregatesOf, Domain, DomainRequest } from './domainRequests.js';
import { enqueueCommand, reusedId } from './enqueueCommand.js';
import { shardFor } from './shardFor.js';
import { ShardQueues } from './shardQueues.js';

/**
 * Where the queues are: the pods' settings of the same names (ChronicleConfig), so a pod hands
 * its config to its client as it stands. Each one left out comes from the environment, as the
 * pods read it: `redisClusterNodes` (a Redis Cluster's seed nodes, REDIS_CLUSTER_NODES; REDIS_URL
 * then only lends its user and password) unless `redisUrl` is given, and `shards` the workers'
 * CHRONICLE_SHARDS if they set one ('default': the count the deployment recorded in Redis,
 * docs/operations.md).
 */
export type CommandClientConnection = Partial<
  Pick<ChronicleConfig, 'redisUrl' | 'redisClusterNodes' | 'shards' | 'queuePrefix'>
>;

export type CommandClientOptions<Aggregates extends readonly Aggregate[] = readonly Aggregate[]> =
  CommandClientConnection & {
    /**
     * The aggregates the workers run, when the sender knows them: the client's commands are then
     * typed by them, and an unknown aggregate or command and an invalid payload are answered at
     * once, and never enqueued.
     */
    readonly aggregates?: Aggregates;
    /** How long finished commands stay in Redis. Default: CHRONICLE_COMPLETED_KEEP_S / _COUNT. */
    readonly completedRetention?: CompletedRetention;

    /** Where a Redis outage is reported, one line per outage. Default: the `chronicle-client` logger. */
    readonly logger?: LoggerPort;
  };

export type Enqueued = { readonly status: 'enqueued'; readonly commandId: string };

/** A client sends `Request`s: a domain's commands (see `DomainRequest`), or any command. */
export interface CommandClient<Request extends CommandRequest = CommandRequest> {
  /** Enqueues and waits for the answer (default timeout 30 s; a timeout throws TIMEOUT). */
  send(request: Request, options: { wait: true; timeoutMs?: number }): Promise<CommandResult>;
  /**
   * Enqueues; resolves once the command is safely in Redis. Bad envelopes (and, given the
   * aggregates, unknown aggregates, unknown commands and invalid payloads) are rejected here.
   */
  send(request: Request, options?: { wait?: false }): Promise<Enqueued | RejectedResult>;
  send(request: Request, options?: { wait?: boolean; timeoutMs?: number }): Promise<CommandResult | Enqueued>;
  status(commandId: string): Promise<CommandStatus>;
  close(): Promise<void>;
}

/**
 * The producer side: routes each command to its aggregate's shard queue, job id = command id, so
 * sending the same command twice enqueues it once. Given the aggregates, its commands are typed
 * by them and checked against them before they are enqueued.
 * @example
 * const client = createCommandClient({ redisUrl: 'redis://127.0.0.1:6379', aggregates: [order] });
 * const result = await client.send({ aggregateType: 'order', aggregateId: 'o-1', type: 'PlaceOrder', payload }, { wait: true });
 */
export function createCommandClient<const Aggregates extends readonly Aggregate[]>(
  options: CommandClientOptions<Aggregates> & { readonly aggregates: Aggregates },
): CommandClient<DomainRequest<Aggregates>>;
/**
 * A client typed by a domain it does not load: `createCommandClient<typeof config>()` with a type
 * import of the deployment's config (or of its aggregates) checks commands when they are compiled;
 * the workers check them when they run. Without a type, any command compiles.
 */
export function createCommandClient<D extends Domain = readonly Aggregate[]>(
  options?: CommandClientOptions<AggregatesOf<D>>,
): CommandClient<DomainRequest<AggregatesOf<D>>>;
export function createCommandClient(options: CommandClientOptions = {}): CommandClient {
  const { shards, prefix, retention, target } = clientSettings(options);
  const registry = options.aggregates ? createAggregateRegistry(options.aggregates) : undefined;
  const precheck = precheckWith(registry);
  // a command to an aggregate with personal data leaves Redis as soon as it is answered: which
  // aggregates those are is known once, not looked up per send
  const personalTypes = new Set(registry?.types.filter((type) => holdsPersonalData(registry.schemas, type)));
  const { connection, watch } = openClientRedis(options, target);
  // routes with the deployment's recorded count, resolved before the first command goes out; a
  // failed resolution (Redis down, a count that differs from the record) is tried again by the next send
  const shardQueues = new ShardQueues(connection, prefix, shards, watch);
  const queue = (shard: number) => shardQueues.queue(shard);
  const replies = lazyReplies(connection, watch, replyChannel(prefix, randomUUID()), queue);
  const enqueue = (envelope: CommandEnvelope, shard: number, chosenId: boolean) =>
    enqueueCommand(queue(shard), envelope, chosenId, retention, personalTypes.has(envelope.aggregateType));
  const reusedInQueue = (envelope: CommandEnvelope, shard: number) => reusedId(queue(shard), envelope);

  /** Enqueued, not waited for: behind the waiting sends made before it. */
  const sendOnly = async (envelope: CommandEnvelope, shard: number, chosenId: boolean) => {
    // the waiting sends made before it wait for the subscription first: so does this one
    await replies.settled();
    await enqueue(envelope, shard, chosenId);
    const reused = chosenId ? await reusedInQueue(envelope, shard) : undefined;
    return reused ?? ({ status: 'enqueued', commandId: envelope.commandId } satisfies Enqueued);
  };

  /** Enqueued with this client's reply channel, and its answer awaited. */
  const sendAndWait = async (
    envelope: CommandEnvelope,
    shard: number,
    chosenId: boolean,
    timeoutMs: number,
  ) => {
    const listener = await replies.listener();
    const answer = listener.expect(envelope.commandId, shard, timeoutMs);
    answer.catch(() => {}); // awaited below; a failed enqueue must not leave it unhandled
    // a caller's waiting sends reach the queue in the order sent: the only await before this one
    // is on the same subscription, and its continuations run in order
    await enqueue({ ...envelope, replyTo: replies.channel }, shard, chosenId);
    // a command id of the caller's may name a job enqueued before, whose answer goes elsewhere;
    // if that job asked something else, this command is refused, not answered with its result
    if (chosenId) {
      const reused = await reusedInQueue(envelope, shard);
      if (reused) return reused;
      void listener.poll(envelope.commandId, shard);
    }
    const reply = await answer;
    if (reply.status === 'completed') return reply.result;
    throw new ChronicleError('COMMAND_FAILED', `command ${envelope.commandId} failed: ${reply.reason}`);
  };

  const send: CommandClient['send'] = (async (
    request: CommandRequest,
    sendOptions: { wait?: boolean; timeoutMs?: number } = {},
  ) =>
    withSpan('producer', `send ${request.type}`, {}, async (span) => {
      // built inside the producer span, so the trace context it carries makes this span the
      // consumer's parent
      const envelope = buildEnvelope(request);
      const invalid = precheck(envelope);
      if (invalid) {
        span.setAttributes(commandAttributes(envelope, undefined, 'send'));
        return invalid;
      }
      // every send waits here first, so sends still reach the queues in the order made
      const shard = shardFor(request.aggregateType, request.aggregateId, await shardQueues.routingCount());
      span.setAttributes(commandAttributes(envelope, shard, 'send'));
      const chosenId = request.commandId !== undefined;
      return sendOptions.wait
        ? sendAndWait(envelope, shard, chosenId, sendOptions.timeoutMs ?? 30_000)
        : sendOnly(envelope, shard, chosenId);
    })) as CommandClient['send'];

  return {
    send,
    status: async (commandId) => readCommandStatus(await shardQueues.all(), commandId),
    close: async () => {
      await replies.close();
      await shardQueues.close();
      await connection.quit();
    },
  };
}

/** The client's Redis connection, its outages reported one line each (not per failed command). */
const openClientRedis = (
  options: CommandClientOptions,
  target: ReturnType<typeof clientSettings>['target'],
) => {
  const reporter = createConnectionErrorReporter(
    options.logger ?? createLogger('chronicle-client'),
    `command client: ${redisLabel(target)}`,
  );
  const connection = reporter.watch(openRedis(target, { maxRetriesPerRequest: null }));
  connection.on('ready', () => reporter.recovered());
  return { connection, watch: reporter.watch };
};

/** Where the queues are and how long answers stay: what the options say, else the environment. */
const clientSettings = (options: CommandClientOptions) => ({
  // unset options come from the environment, read (and checked) as the pods read it
  shards: options.shards ?? loadConfig().shards,
  prefix: options.queuePrefix ?? loadConfig().queuePrefix,
  retention: options.completedRetention ?? completedRetentionFromEnv(),
  // a URL or nodes given here say where Redis is; otherwise the environment says
  target:
    options.redisUrl !== undefined || options.redisClusterNodes !== undefined
      ? { redisUrl: options.redisUrl ?? loadConfig().redisUrl, redisClusterNodes: options.redisClusterNodes }
      : loadConfig(),
});

/** The client's early refusal: the envelope alone, or with the aggregates the whole precheck. */
const precheckWith = (registry: AggregateRegistry | undefined) => {
  return (envelope: CommandEnvelope): RejectedResult | undefined => {
    if (!registry) return checkEnvelope(envelope);
    const known = precheckCommand(registry, envelope);
    return known.status === 'rejected' ? known : undefined;
  };
};
