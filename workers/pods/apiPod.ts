import { apiSettingsFromEnv, createApiServer, loadConfig, natsOutbox } from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/**
 * The api pod, in the life cycle of every pod (runPod). It serves /healthz, /readyz and /metrics
 * from its own fastify app on PORT; on SIGTERM/SIGINT it stops being ready, ends live streams and
 * finishes the requests in hand. The deployment's projections' queries are its read-model routes.
 */
export const apiPod: PodDefinition = {
  kind: 'api',
  serviceName: 'chronicle-api',
  start: async ({ logger, metricsHandler, deployment, orm }) => {
    const { aggregates, processManagers, projections } = deployment.chronicle;
    const server = await createApiServer({
      config: loadConfig(),
      orm,
      settings: apiSettingsFromEnv(),
      aggregates,
      processManagers,
      projections,
      subscriptions: [natsOutbox()],
      logger,
      metricsHandler,
    });
    const port = await server.listen();
    return {
      servesProbes: true,
      ready: { port },
      stop: async () => {
        server.setDraining();
        await server.close();
      },
    };
  },
};

export const runApiPod = (): Promise<void> => runPodDefinition(apiPod);
