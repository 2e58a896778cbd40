import { loadConfig, runNatsWorker } from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The nats pod: events out to JetStream through the outbox, commands in over NATS, until SIGTERM/SIGINT. */
export const natsWorkerPod: PodDefinition = {
  kind: 'nats',
  serviceName: 'chronicle-nats-worker',
  start: ({ logger, deployment, orm }) =>
    runNatsWorker({ config: loadConfig(), orm, aggregates: deployment.chronicle.aggregates, logger }),
  services: ['nats'],
};

export const runNatsWorkerPod = (): Promise<void> => runPodDefinition(natsWorkerPod);
