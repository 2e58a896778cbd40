import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { type Aggregate, createAggregateRegistry, precheckCommand } from '../aggregate/index.js';
import { loadConfig } from '../config/index.js';
import { ChronicleError } from '../errors/index.js';
import {
  type CommandEnvelope,
  type CommandRequest,
  type CommandResult,
  checkEnvelope,
  type RejectedResult,
} from '../messages/index.js';
import { withSpan } from '../tracing/index.js';
import { buildEnvelope } from './buildEnvelope.js';
import { commandAttributes } from './commandAttributes.js';
import { type CommandStatus, readCommandStatus } from './commandStatus.js';
import { commandJobOptions } from './jobOptions.js';
import { shardFor, shardQueueName } from './shardFor.js';

export type CommandClientOptions = {
  readonly redisUrl?: string;
  /** Must match the workers' CHRONICLE_SHARDS. */
  readonly shards?: number;
  readonly queuePrefix?: string;
  /**
   * The aggregates the workers run, when the sender knows them: an unknown aggregate or command
   * and an invalid payload are then answered at once, and never enqueued.
   */
  readonly aggregates?: readonly Aggregate[];
};

export type Enqueued = { readonly status: 'enqueued'; readonly commandId: string };

export interface CommandClient {
  /** Enqueues and waits for the answer (default timeout 30 s; a timeout throws TIMEOUT). */
  send(request: CommandRequest, options: { wait: true; timeoutMs?: number }): Promise<CommandResult>;
  /**
   * Enqueues; resolves once the command is safely in Redis. Bad envelopes (and, given the
   * aggregates, unknown aggregates, unknown commands and invalid payloads) are rejected here.
   */
  send(request: CommandRequest, options?: { wait?: false }): Promise<Enqueued | RejectedResult>;
  send(
    request: CommandRequest,
    options?: { wait?: boolean; timeoutMs?: number },
  ): Promise<CommandResult | Enqueued>;
  status(commandId: string): Promise<CommandStatus>;
  close(): Promise<void>;
}

/**
 * The producer side: routes each command to its aggregate's shard queue, job id = command id, so
 * sending the same command twice enqueues it once.
 * @example
 * const client = createCommandClient({ redisUrl: 'redis://127.0.0.1:6379' });
 * const result = await client.send({ aggregateType: 'order', aggregateId: 'o-1', type: 'PlaceOrder', payload }, { wait: true });
 */
export const createCommandClient = (options: CommandClientOptions = {}): CommandClient => {
  // unset options come from the environment, read (and checked) as the pods read it
  const shards = options.shards ?? loadConfig().shards;
  const prefix = options.queuePrefix ?? loadConfig().queuePrefix;
  const registry = options.aggregates ? createAggregateRegistry(options.aggregates) : undefined;
  const precheck = (envelope: CommandEnvelope): RejectedResult | undefined => {
    if (!registry) return checkEnvelope(envelope);
    const known = precheckCommand(registry, envelope);
    return known.status === 'rejected' ? known : undefined;
  };
  const connection = new Redis(options.redisUrl ?? loadConfig().redisUrl, { maxRetriesPerRequest: null });
  const queues = new Map<number, Queue>();
  const events = new Map<number, Promise<QueueEvents>>();
  // BullMQ never closes a connection it was handed: these are ours to close
  const listenerConnections: Redis[] = [];
  const queue = (shard: number) => {
    let found = queues.get(shard);
    if (!found) {
      found = new Queue(shardQueueName(shard), { connection, prefix });
      found.setMaxListeners(0); // every waiting send listens for the queue closing
      queues.set(shard, found);
    }
    return found;
  };
  /**
   * One listener per shard, made on first use. It reads the event stream from the stream's end as it
   * was when made, not from "$" once connected, so no event between the two is lost; a job that
   * finished even earlier is caught by waitUntilFinished's own state check.
   */
  const queueEvents = (shard: number) => {
    let found = events.get(shard);
    if (!found) {
      found = (async () => {
        const name = shardQueueName(shard);
        const [last] = await connection.xrevrange(`${prefix}:${name}:events`, '+', '-', 'COUNT', 1);
        const duplicate = connection.duplicate();
        listenerConnections.push(duplicate);
        const listener = new QueueEvents(name, {
          connection: duplicate,
          prefix,
          lastEventId: last?.[0] ?? '0-0',
        });
        listener.setMaxListeners(0); // one listener per waiting send
        await listener.waitUntilReady();
        return listener;
      })();
      events.set(shard, found);
    }
    return found;
  };

  const enqueue = async (envelope: CommandEnvelope, shard: number) =>
    queue(shard).add(envelope.type, envelope, commandJobOptions(envelope.commandId));

  const send: CommandClient['send'] = (async (
    request: CommandRequest,
    sendOptions: { wait?: boolean; timeoutMs?: number } = {},
  ) => {
    const shard = shardFor(request.aggregateType, request.aggregateId, shards);
    return withSpan('producer', `send ${request.type}`, {}, async (span) => {
      // built inside the producer span, so the trace context it carries makes this span the
      // consumer's parent
      const envelope = buildEnvelope(request);
      span.setAttributes(commandAttributes(envelope, shard, 'send'));
      const invalid = precheck(envelope);
      if (invalid) return invalid;
      if (!sendOptions.wait) {
        await enqueue(envelope, shard);
        return { status: 'enqueued', commandId: envelope.commandId } satisfies Enqueued;
      }
      // enqueue before any other await: a caller's commands reach the queue in the order sent
      const job = await enqueue(envelope, shard);
      const listener = await queueEvents(shard);
      const timeoutMs = sendOptions.timeoutMs ?? 30_000;
      try {
        return (await job.waitUntilFinished(listener, timeoutMs)) as CommandResult;
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        if (/timed out/i.test(message)) {
          throw new ChronicleError(
            'TIMEOUT',
            `command ${envelope.commandId} got no answer within ${timeoutMs} ms; it stays queued`,
          );
        }
        throw new ChronicleError('COMMAND_FAILED', `command ${envelope.commandId} failed: ${message}`, {
          cause: error,
        });
      }
    });
  }) as CommandClient['send'];

  return {
    send,
    status: (commandId) => readCommandStatus([...Array(shards).keys()].map(queue), commandId),
    close: async () => {
      await Promise.all([...events.values()].map(async (listener) => (await listener).close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await Promise.all(listenerConnections.map((duplicate) => duplicate.quit()));
      await connection.quit();
    },
  };
};
