import { hostname } from 'node:os';
import { loadConfig, startPodHeartbeat, subscriptionSettingsFromEnv } from 'chronicle-runtime';
import { runtimePackage } from '../init/runtimePackage.js';
import type { PodContext, PodDefinition, PodEngine } from './runPod.js';

/**
 * Starts a pod kind's engine and registers the pod in the cluster view (es_pods) under its worker
 * id (the owner its leases name; CHRONICLE_WORKER_ID, else one made up per engine), beating every
 * third of the subscription lease time. On stop: the engine first, then the pod marks itself stopped.
 */
export const startRegistered = async (pod: PodDefinition, context: PodContext): Promise<PodEngine> => {
  const startedAt = new Date();
  const engine = await pod.start(context);
  const settings = subscriptionSettingsFromEnv();
  try {
    const heartbeat = await startPodHeartbeat({
      config: loadConfig(),
      pod: {
        id: engine.workerId ?? settings.workerId,
        kind: pod.kind,
        host: hostname(),
        pid: process.pid,
        version: runtimePackage().manifest.version,
        startedAt,
        details: engine.details ?? {},
      },
      ttlMs: settings.leaseTtlMs,
      logger: context.logger,
      orm: context.orm,
    });
    return {
      ...engine,
      stop: async () => {
        await engine.stop();
        await heartbeat.stop();
      },
    };
  } catch (error) {
    await engine.stop();
    throw error;
  }
};
