import { loadConfig, runNatsWorker } from 'chronicle';
import { aggregates } from '../../actors/index.js';
import { runPod } from './runPod.js';

/** The nats pod: events out to JetStream through the outbox, commands in over NATS, until SIGTERM/SIGINT. */
export const runNatsWorkerPod = (): Promise<void> =>
  runPod(
    'chronicle-nats-worker',
    ({ logger }) => runNatsWorker({ config: loadConfig(), aggregates, logger }),
    {
      services: ['nats'],
    },
  );
