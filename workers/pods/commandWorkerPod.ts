import { CommandWorker, loadConfig } from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The command-worker pod: one worker per shard queue, until SIGTERM/SIGINT. */
export const commandWorkerPod: PodDefinition = {
  kind: 'command',
  serviceName: 'chronicle-command-worker',
  start: async ({ logger, deployment, orm }) => {
    const { aggregates } = deployment.chronicle;
    const worker = await CommandWorker.start({ config: loadConfig(), orm, aggregates, logger });
    return { checks: worker.readinessChecks(), stop: () => worker.stop() };
  },
};

export const runCommandWorkerPod = (): Promise<void> => runPodDefinition(commandWorkerPod);
