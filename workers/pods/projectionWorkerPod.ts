import { loadConfig, runProjectionWorker } from 'chronicle';
import { projections } from '../../actors/projections/index.js';
import { runPod } from './runPod.js';

/** The projection pod: its share of every projection's leased partitions, until SIGTERM/SIGINT. */
export const runProjectionWorkerPod = (): Promise<void> =>
  runPod('chronicle-projection-worker', ({ logger }) =>
    runProjectionWorker({ config: loadConfig(), projections, logger }),
  );
