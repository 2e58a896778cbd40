import { loadConfig, runProcessManagerWorker } from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/** The process-manager pod: its share of each process manager's partitions and its deadlines, until SIGTERM/SIGINT. */
export const processManagerWorkerPod: PodDefinition = {
  kind: 'process-manager',
  serviceName: 'chronicle-process-manager-worker',
  start: async ({ logger, deployment, orm }) => {
    const { aggregates, processManagers } = deployment.chronicle;
    const worker = await runProcessManagerWorker({
      config: loadConfig(),
      orm,
      processManagers,
      aggregates,
      logger,
    });
    return { checks: worker.readinessChecks(), workerId: worker.workerId, stop: () => worker.stop() };
  },
};

export const runProcessManagerWorkerPod = (): Promise<void> => runPodDefinition(processManagerWorkerPod);
