import { loadConfig, runProjectionWorker } from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The projection pod: its share of every projection's leased partitions, until SIGTERM/SIGINT. */
export const projectionWorkerPod: PodDefinition = {
  kind: 'projection',
  serviceName: 'chronicle-projection-worker',
  start: ({ logger, deployment, orm }) => {
    const { aggregates, projections } = deployment.chronicle;
    return runProjectionWorker({ config: loadConfig(), orm, projections, aggregates, logger });
  },
};

export const runProjectionWorkerPod = (): Promise<void> => runPodDefinition(projectionWorkerPod);
