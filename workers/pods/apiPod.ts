import {
  apiSettingsFromEnv,
  createApiServer,
  createGrpcServer,
  grpcSettingsFromEnv,
  loadConfig,
  natsOutbox,
} from 'chronicle-runtime';
import { type PodDefinition, runPodDefinition } from './runPod.js';

/**
 * The api pod, in the life cycle of every pod (runPod). It serves /healthz, /readyz and /metrics
 * from its own fastify app on PORT, and gRPC on GRPC_PORT when set; on SIGTERM/SIGINT it stops
 * being ready (both health answers), ends live streams and finishes the calls in hand. The
 * deployment's projections' queries are its read-model routes.
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
    const grpcSettings = grpcSettingsFromEnv();
    const grpc =
      grpcSettings.status === 'on'
        ? createGrpcServer({
            context: server.context,
            host: grpcSettings.host,
            port: grpcSettings.port,
            logger,
          })
        : undefined;
    const port = await server.listen();
    const grpcPort = await grpc?.listen();
    return {
      servesProbes: true,
      // the port last: the ready line ends `"port":N,"msg":…` either way
      ready: { ...(grpcPort === undefined ? {} : { grpcPort }), port },
      stop: async () => {
        server.setDraining();
        grpc?.setDraining();
        // gRPC first: its calls use the connections the HTTP server closes last
        await grpc?.close();
        await server.close();
      },
    };
  },
};

export const runApiPod = (): Promise<void> => runPodDefinition(apiPod);
