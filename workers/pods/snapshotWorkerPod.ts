import { loadConfig, runSnapshotWorker } from 'chronicle';
import { aggregates } from '../../actors/index.js';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The snapshot pod: snapshots streams past their policy, plus the periodic sweep, until SIGTERM/SIGINT. */
export const snapshotWorkerPod: PodDefinition = {
  kind: 'snapshot',
  serviceName: 'chronicle-snapshot-worker',
  start: ({ logger }) => runSnapshotWorker({ config: loadConfig(), aggregates, logger }),
};

export const runSnapshotWorkerPod = (): Promise<void> => runPodDefinition(snapshotWorkerPod);
