import { CommandWorker, loadConfig, runUntilSignal } from 'chronicle';
import { aggregates } from '../../actors/index.js';

/** The command-worker pod: runs until SIGTERM/SIGINT, finishing the command in hand. */
export const runCommandWorkerPod = async (): Promise<void> => {
  const logger = { info: console.log, warn: console.warn, error: console.error };
  const worker = await CommandWorker.start({ config: loadConfig(), aggregates, logger });
  await runUntilSignal(worker, logger);
};
