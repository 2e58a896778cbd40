import { loadConfig, runProjectionWorker } from 'chronicle-runtime';
import { aggregates } from '../../actors/index.js';
import { projections } from '../../actors/projections/index.js';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The projection pod: its share of every projection's leased partitions, until SIGTERM/SIGINT. */
export const projectionWorkerPod: PodDefinition = {
  kind: 'projection',
  serviceName: 'chronicle-projection-worker',
  start: ({ logger }) => runProjectionWorker({ config: loadConfig(), projections, aggregates, logger }),
};

export const runProjectionWorkerPod = (): Promise<void> => runPodDefinition(projectionWorkerPod);
