import { aggregates, createOrderPayment, domainEventSchemas } from '../../actors/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import { type ProcessManagerWorker, runProcessManagerWorker } from '../../src/processManagers/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { type CommandPath, createCommandPath } from './commandPath.js';

export type OrderPaymentPods = {
  readonly path: CommandPath;
  readonly store: EventStore;
  readonly pm: ProcessManagerWorker;
  /** Stops both engines, drops the database and queues. */
  close(): Promise<void>;
};

/**
 * A command worker and a process-manager worker (the pods' engines, in process) running the
 * sample domain and order-payment, its payment timeout shortened to `timeoutMs`.
 */
export const startOrderPaymentPods = async (timeoutMs: number): Promise<OrderPaymentPods> => {
  const path = await createCommandPath();
  await path.startWorker();
  const pm = await runProcessManagerWorker({
    aggregates,
    config: path.config,
    processManagers: [createOrderPayment({ paymentTimeoutMs: timeoutMs })],
    settings: fastSettings('pm-1', { batchSize: 50 }),
  });
  return {
    path,
    store: createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas }),
    pm,
    close: async () => {
      await pm.stop();
      await path.close();
    },
  };
};
