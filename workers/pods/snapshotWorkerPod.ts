import { loadConfig, runSnapshotWorker } from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The snapshot pod: snapshots aggregates' and process managers' streams past their policy, plus the periodic sweep, until SIGTERM/SIGINT. */
export const snapshotWorkerPod: PodDefinition = {
  kind: 'snapshot',
  serviceName: 'chronicle-snapshot-worker',
  start: ({ logger, deployment, orm }) => {
    const { aggregates, processManagers } = deployment.chronicle;
    return runSnapshotWorker({ config: loadConfig(), orm, aggregates, processManagers, logger });
  },
};

export const runSnapshotWorkerPod = (): Promise<void> => runPodDefinition(snapshotWorkerPod);
