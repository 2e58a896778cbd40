import { CommandWorker, loadConfig } from 'chronicle';
import { aggregates } from '../../actors/index.js';
import { runPod } from './runPod.js';

/** The command-worker pod: one worker per shard queue, until SIGTERM/SIGINT. */
export const runCommandWorkerPod = (): Promise<void> =>
  runPod('chronicle-command-worker', async ({ logger }) => {
    const worker = await CommandWorker.start({ config: loadConfig(), aggregates, logger });
    return { checks: worker.readinessChecks(), stop: () => worker.stop() };
  });
