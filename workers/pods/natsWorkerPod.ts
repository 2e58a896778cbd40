import { loadConfig, runNatsWorker } from 'chronicle-runtime';
import { aggregates } from '../../actors/index.js';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The nats pod: events out to JetStream through the outbox, commands in over NATS, until SIGTERM/SIGINT. */
export const natsWorkerPod: PodDefinition = {
  kind: 'nats',
  serviceName: 'chronicle-nats-worker',
  start: ({ logger }) => runNatsWorker({ config: loadConfig(), aggregates, logger }),
  services: ['nats'],
};

export const runNatsWorkerPod = (): Promise<void> => runPodDefinition(natsWorkerPod);
