import type { Aggregate } from '../aggregate/index.js';
import { createCommandClient } from '../commands/index.js';
import {
  type ChronicleConfig,
  completedRetentionFromEnv,
  type SubscriptionSettings,
} from '../config/index.js';
import type { PodOrmOptions } from '../db/index.js';
import { ChronicleError } from '../errors/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { createPostgresEventStore } from '../eventStore/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';
import type { ReadinessCheck } from '../observability/index.js';
import { openRedis } from '../services/index.js';
import { startSubscriptionWorker } from '../subscriptions/index.js';
import { createDeadlineQueue } from './deadlineQueue.js';
import { startDeadlineWorker } from './deadlineWorker.js';
import type { ProcessManager } from './defineProcessManager.js';
import { createProcessInstances } from './handleProcessInput.js';
import type { ProcessRuntime } from './handleRoutedInput.js';
import { processManagerSubscription } from './processManagerSubscription.js';

export type ProcessManagerWorkerOptions = PodOrmOptions & {
  readonly config: ChronicleConfig;
  readonly processManagers: readonly ProcessManager[];
  /** The aggregates whose events the process managers read: they see them in their current shape. */
  readonly aggregates: readonly Aggregate[];
  /** Default: from the environment (subscriptionSettingsFromEnv). */
  readonly settings?: SubscriptionSettings;
  readonly logger?: LoggerPort;
};

export type ProcessManagerWorker = {
  readonly workerId: string;
  /** The partitions this worker runs now, per subscription. */
  owned(): Record<string, number[]>;
  readinessChecks(): Record<string, ReadinessCheck>;
  /** Finishes the inputs in hand, releases the leases, closes queues and connections. */
  stop(): Promise<void>;
};

/**
 * A process-manager pod's engine: its share of each process manager's subscription partitions
 * (leased, so run as many pods as you like), the deadline worker, and a command client.
 * @example
 * const worker = await runProcessManagerWorker({ config: loadConfig(), processManagers: [orderPayment], aggregates });
 */
export const runProcessManagerWorker = async (
  options: ProcessManagerWorkerOptions,
): Promise<ProcessManagerWorker> => {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const connection = openRedis(config, { maxRetriesPerRequest: null });
  // BullMQ never closes a connection it was handed: the deadline worker's is ours to quit
  const deadlineConnection = connection.duplicate();
  const client = createCommandClient(config);
  const deadlines = createDeadlineQueue(
    connection,
    config.queuePrefix,
    completedRetentionFromEnv().deadLetterAgeSeconds,
  );
  const closePorts = async () => {
    await deadlines.close();
    await client.close();
    await deadlineConnection.quit();
    await connection.quit();
  };
  let deadlineWorker: ReturnType<typeof startDeadlineWorker> | undefined;
  let runtime: ProcessRuntime | undefined;
  try {
    const schemas = createEventSchemas(options.aggregates);
    const worker = await startSubscriptionWorker({
      orm: options.orm,
      config,
      schemas,
      ...(options.settings ? { settings: options.settings } : {}),
      logger,
      subscriptions: ({ orm }) => {
        const ready: ProcessRuntime = {
          client,
          deadlines,
          instances: createProcessInstances(createPostgresEventStore(orm, { schemas }), schemas),
        };
        runtime = ready;
        return options.processManagers.map((pm) => processManagerSubscription(pm, ready));
      },
      extras: async ({ settings }) => {
        if (!runtime) throw new ChronicleError('INVARIANT', 'the subscriptions were not made');
        deadlineWorker = startDeadlineWorker({
          connection: deadlineConnection,
          prefix: config.queuePrefix,
          processManagers: options.processManagers,
          runtime,
          logger,
          lockMs: config.commandLockMs,
        });
        await deadlineWorker.waitUntilReady();
        const names = options.processManagers.map((pm) => pm.name);
        logger.info(
          { workerId: settings.workerId, processManagers: names },
          'process manager worker started',
        );
        return async () => {
          await deadlineWorker?.close();
        };
      },
    });
    return {
      workerId: worker.workerId,
      owned: () => worker.host.owned(),
      readinessChecks: () => ({ deadlines: async () => deadlineWorker?.isRunning() ?? false }),
      stop: async () => {
        await worker.stop();
        await closePorts();
        logger.info({ workerId: worker.workerId }, 'process manager worker stopped');
      },
    };
  } catch (error) {
    await closePorts();
    throw error;
  }
};
