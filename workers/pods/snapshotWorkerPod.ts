import { createDependencyChecks, loadConfig, runSnapshotWorker } from 'chronicle';
import { aggregates } from '../../actors/index.js';
import { runPod } from './runPod.js';

/** The snapshot pod: snapshots streams past their policy, plus the periodic sweep, until SIGTERM/SIGINT. */
export const runSnapshotWorkerPod = (): Promise<void> =>
  runPod('chronicle-snapshot-worker', async (logger) => {
    const config = loadConfig();
    const worker = await runSnapshotWorker({ config, aggregates, logger });
    const dependencies = createDependencyChecks(config);
    return {
      checks: dependencies.checks,
      stop: async () => {
        await worker.stop();
        await dependencies.close();
      },
    };
  });
