import { createDependencyChecks, loadConfig, runProjectionWorker } from 'chronicle';
import { projections } from '../../actors/projections/index.js';
import { runPod } from './runPod.js';

/** The projection pod: its share of every projection's leased partitions, until SIGTERM/SIGINT. */
export const runProjectionWorkerPod = (): Promise<void> =>
  runPod('chronicle-projection-worker', async (logger) => {
    const config = loadConfig();
    const worker = await runProjectionWorker({ config, projections, logger });
    const dependencies = createDependencyChecks(config);
    return {
      checks: dependencies.checks,
      stop: async () => {
        await worker.stop();
        await dependencies.close();
      },
    };
  });
