import { loadConfig, runSnapshotWorker } from 'chronicle';
import { aggregates } from '../../actors/index.js';
import { runPod } from './runPod.js';

/** The snapshot pod: snapshots streams past their policy, plus the periodic sweep, until SIGTERM/SIGINT. */
export const runSnapshotWorkerPod = (): Promise<void> =>
  runPod('chronicle-snapshot-worker', ({ logger }) =>
    runSnapshotWorker({ config: loadConfig(), aggregates, logger }),
  );
