import { CommandWorker, loadConfig, subscriptionSettingsFromEnv } from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The command-worker pod: one worker per shard queue, until SIGTERM/SIGINT. */
export const commandWorkerPod: PodDefinition = {
  kind: 'command',
  serviceName: 'chronicle-command-worker',
  start: async ({ logger, deployment, orm }) => {
    const { aggregates } = deployment.chronicle;
    // the pod's id names it on the jobs it takes (CHRONICLE_WORKER_ID, else made up)
    const podId = subscriptionSettingsFromEnv().workerId;
    const worker = await CommandWorker.start({ config: loadConfig(), aggregates, logger, podId, orm });
    return {
      checks: worker.readinessChecks(),
      workerId: podId,
      details: { shards: worker.shards },
      stop: () => worker.stop(),
    };
  },
};

export const runCommandWorkerPod = (): Promise<void> => runPodDefinition(commandWorkerPod);
