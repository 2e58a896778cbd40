import type { Aggregate } from '../aggregate/index.js';
import { outboxOutline, outboxSubscription } from '../broker/outboxSubscription.js';
import { createCommandClient } from '../commands/index.js';
import {
  type ChronicleConfig,
  loadNatsConfig,
  type NatsConfig,
  type SubscriptionSettings,
  subscriptionSettingsFromEnv,
} from '../config/index.js';
import type { PodOrmOptions } from '../db/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';
import type { ReadinessCheck } from '../observability/index.js';
import { reportSubscriptionLag } from '../projections/index.js';
import { type SubscriptionOutline, startSubscriptionWorker } from '../subscriptions/index.js';
import { connectNats, natsServersOf } from './connectNats.js';
import { serveNatsCommands } from './natsCommandServer.js';
import { createNatsEventBroker } from './natsEventBroker.js';

/** The `outbox_nats` subscription as configured: for the workers, and for status and retry. */
export const natsOutbox = (nats: NatsConfig = loadNatsConfig()): SubscriptionOutline =>
  outboxOutline({
    system: 'nats',
    partitions: nats.partitions,
    ...(nats.eventTypes ? { eventTypes: nats.eventTypes } : {}),
  });

export type NatsWorkerOptions = PodOrmOptions & {
  readonly config: ChronicleConfig;
  /** The aggregates the command workers run: commands over NATS are prechecked against them. */
  readonly aggregates: readonly Aggregate[];
  /** Default: from the environment (loadNatsConfig). */
  readonly nats?: NatsConfig;
  /** Default: from the environment (subscriptionSettingsFromEnv). */
  readonly settings?: SubscriptionSettings;
  readonly logger?: LoggerPort;
};

export type NatsWorker = {
  readonly workerId: string;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  /** Stops taking commands, finishes the batches in hand, releases the leases, closes NATS. */
  stop(): Promise<void>;
};

/**
 * A nats pod's engine: the outbox (its share of the `outbox_nats` partitions, publishing every
 * event to JetStream) and the command entry (request/reply on `<prefix>.commands.>`). Start as
 * many as you like: partitions are leased, requests shared by a queue group.
 * @example
 * const worker = await runNatsWorker({ config: loadConfig(), aggregates });
 * await runUntilSignal(worker, logger);
 */
export const runNatsWorker = async (options: NatsWorkerOptions): Promise<NatsWorker> => {
  const nats = options.nats ?? loadNatsConfig();
  const settings = options.settings ?? subscriptionSettingsFromEnv();
  const logger = options.logger ?? silentLogger;
  const nc = await connectNats(nats.url, `chronicle ${settings.workerId}`, nats.access);
  try {
    const broker = createNatsEventBroker(nc, {
      stream: nats.stream,
      subjectPrefix: nats.subjectPrefix,
      duplicateWindowMs: nats.duplicateWindowMs,
    });
    await broker.ensureStream();
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect')
          logger.warn({ nats: status.type, server: natsServersOf(nats.url) }, `NATS ${status.type}`);
      }
    })();
    const worker = await startSubscriptionWorker({
      orm: options.orm,
      config: options.config,
      schemas: createEventSchemas(options.aggregates),
      settings,
      logger,
      subscriptions: () => [
        outboxSubscription({ broker, outline: natsOutbox(nats), concurrency: nats.publishConcurrency }),
      ],
      extras: async ({ knex, schemas }) => {
        const stopLag = await reportSubscriptionLag(
          knex,
          schemas,
          [natsOutbox(nats)],
          nats.lagEveryMs,
          logger,
        );
        const client = createCommandClient({ ...options.config, aggregates: options.aggregates });
        const commands = serveNatsCommands(nc, {
          subjectPrefix: nats.subjectPrefix,
          client,
          senders: nats.senders,
          waitMs: nats.commandWaitMs,
          logger,
        });
        logger.info(
          {
            workerId: settings.workerId,
            nats: natsServersOf(nats.url),
            stream: nats.stream,
            prefix: nats.subjectPrefix,
            senders: nats.senders.map(({ user }) => user),
          },
          'nats worker started',
        );
        if (nats.senders.length === 0)
          logger.warn({}, 'CHRONICLE_NATS_SENDERS is empty: every command over NATS is refused');
        return async () => {
          stopLag();
          await commands.stop();
          await client.close();
        };
      },
    });
    return {
      workerId: settings.workerId,
      checks: {
        nats: async () => {
          await nc.flush();
          return !nc.isClosed();
        },
      },
      stop: async () => {
        await worker.stop();
        await nc.drain().catch(() => nc.close());
        logger.info({ workerId: settings.workerId }, 'nats worker stopped');
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
};
