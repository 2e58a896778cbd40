import { loadPackageDefinition, Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { type ApiContext, createAuthenticator } from '../http/index.js';
import type { Logger } from '../logging/index.js';
import { MAX_PAYLOAD_BYTES } from '../messages/index.js';
import { chronicleService } from './chronicleService.js';
import { CHRONICLE_SERVICE, loadProtoPackages } from './protoFiles.js';

export type GrpcServerOptions = {
  /** The api pod's context (`ApiServer.context`): its connections, domain, settings and credentials. */
  readonly context: ApiContext;
  readonly port: number;
  readonly host: string;
  readonly logger?: Logger;
  /** How long close() lets calls in hand finish before it cuts them. Default 10 s. */
  readonly shutdownGraceMs?: number;
};

export type GrpcServer = {
  /** Binds host:port; returns the bound port. */
  listen(): Promise<number>;
  /** The health service answers NOT_SERVING from now on. */
  setDraining(): void;
  /** Ends live feeds, lets unary calls in hand finish (up to the grace), then closes. */
  close(): Promise<void>;
};

/** Room for a payload of MAX_PAYLOAD_BYTES and the envelope around it. */
const MAX_MESSAGE_BYTES = MAX_PAYLOAD_BYTES + 64 * 1024;

const address = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * `chronicle.v1.ChronicleService` on its own port, on the api pod's connections, with the standard
 * health service (`grpc.health.v1.Health`) and server reflection, so grpcurl needs no .proto files.
 * @example
 * const api = await createApiServer({ config, settings, aggregates });
 * const grpc = createGrpcServer({ context: api.context, host: '0.0.0.0', port: 50051 });
 * await Promise.all([api.listen(), grpc.listen()]);
 */
export const createGrpcServer = (options: GrpcServerOptions): GrpcServer => {
  const { context: ctx } = options;
  const logger = options.logger ?? ctx.logger;
  const packages = loadProtoPackages();
  const closing = new AbortController();
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    // pings keep idle live feeds open through proxies, and find callers that vanished
    'grpc.keepalive_time_ms': ctx.settings.stream.heartbeatMs,
    'grpc.keepalive_timeout_ms': 20_000,
  });
  const loaded = loadPackageDefinition(packages.chronicle) as unknown as {
    chronicle: { v1: { ChronicleService: { service: ServiceDefinition } } };
  };
  server.addService(
    loaded.chronicle.v1.ChronicleService.service,
    chronicleService({
      ctx,
      authenticator: createAuthenticator(ctx.settings.auth),
      logger,
      closing: closing.signal,
    }),
  );
  const health = new HealthImplementation({ '': 'SERVING', [CHRONICLE_SERVICE]: 'SERVING' });
  health.addToServer(server);
  new ReflectionService({ ...packages.chronicle, ...packages.health }).addToServer(server);

  const setDraining = () => {
    health.setStatus('', 'NOT_SERVING');
    health.setStatus(CHRONICLE_SERVICE, 'NOT_SERVING');
  };
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.bindAsync(
          address(options.host, options.port),
          ServerCredentials.createInsecure(),
          (error, port) => (error ? reject(error) : resolve(port)),
        );
      }),
    setDraining,
    close: async () => {
      setDraining();
      closing.abort();
      const grace = setTimeout(() => server.forceShutdown(), options.shutdownGraceMs ?? 10_000);
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      clearTimeout(grace);
    },
  };
};
