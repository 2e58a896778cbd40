import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import { type FastifyBaseLogger, type FastifyInstance, fastify, LogController } from 'fastify';
import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import {
  createCommandClient,
  createConnectionErrorReporter,
  redisLabel,
  ShardQueues,
} from '../commands/index.js';
import {
  type ApiSettings,
  type ChronicleConfig,
  defaultHttpTimeouts,
  type HttpTimeouts,
} from '../config/index.js';
import { createPodOrm, openPodOrm, type PodOrmOptions } from '../db/index.js';
import { createPostgresEventStore } from '../eventStore/index.js';
import { createLogger, createRefusalLog, type Logger, type RefusalLog } from '../logging/index.js';
import { MAX_PAYLOAD_BYTES } from '../messages/index.js';
import { recordHttpRequest } from '../metrics/index.js';
import type { MetricsHandler } from '../observability/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import type { Projection } from '../projections/index.js';
import { openRedis } from '../services/index.js';
import { listenForEvents, type SubscriptionOutline, Wakeup } from '../subscriptions/index.js';
import type { ApiContext } from './apiContext.js';

import { createAuthenticator, principalOf, registerAuthHooks } from './auth/index.js';
import { clientErrorHandler } from './clientErrorHandler.js';
import { registerErrorHandling, sendError } from './errorHandler.js';
import { HttpError } from './httpError.js';
import { openApiRoute } from './openapiRoute.js';
import { registerRoutes } from './registerRoutes.js';
import type { ApiRoute } from './route.js';
import { aggregateRoutes } from './routes/aggregateRoutes.js';
import { clusterRoutes } from './routes/clusterRoutes.js';
import { commandRoutes } from './routes/commandRoutes.js';
import { correlationRoutes } from './routes/correlationRoutes.js';
import { machineRoutes } from './routes/machineRoutes.js';
import { operationsRoutes } from './routes/operationsRoutes.js';
import { processManagerRoutes } from './routes/processManagerRoutes.js';
import { projectionRoutes } from './routes/projectionRoutes.js';
import { readModelRoutes } from './routes/readModelRoutes.js';
import { resourceRoutes } from './routes/resourceRoutes.js';
import { streamListRoutes } from './routes/streamListRoutes.js';
import { streamRoute } from './routes/streamRoute.js';
import { subjectRoutes } from './routes/subjectRoutes.js';
import { uiRoutes } from './routes/uiRoutes.js';
import { registerWebSocketRoute, webSocketRoute } from './routes/webSocketRoute.js';
import { whatIfRoutes } from './routes/whatIfRoutes.js';
import { createStreamSlots } from './stream/streamSlots.js';

/** Longer than any id a route accepts, even with every character percent-encoded; longer ones are 414. */
const MAX_PATH_PARAM_LENGTH = 1024;

export type ApiServerOptions = PodOrmOptions & {
  readonly config: ChronicleConfig;
  readonly settings: ApiSettings;
  /** Described by /v1/machines, folded by the state routes, checked before commands are enqueued. */
  readonly aggregates: readonly Aggregate[];
  /** Their machines in /v1/machines, their instances' state and history under /v1/process-managers. */
  readonly processManagers?: readonly ProcessManager[];
  /** Shown and retried under /v1/projections; their `queries` are served under /v1. */
  readonly projections?: readonly Projection[];
  /** Other subscriptions shown (lag, state, errors) and retried beside the projections: the NATS outbox. */
  readonly subscriptions?: readonly SubscriptionOutline[];
  readonly logger?: Logger;
  /** Serves /metrics (the SDK side gives it; src/ never imports the SDK). */
  readonly metricsHandler?: MetricsHandler;
};

export type ApiServer = {
  readonly app: FastifyInstance;
  /** The pod's connections and domain, for other ways in on the same pod (the gRPC service). */
  readonly context: ApiContext;
  /** Listens on settings.port and settings.host; returns the bound port. */
  listen(): Promise<number>;
  /** /readyz answers 503 `draining` from now on. */
  setDraining(): void;
  /** Ends live streams, waits for requests in flight, closes every connection. */
  close(): Promise<void>;
};

/**
 * The HTTP API of Chronicle as a fastify app, on its own connections (PostgreSQL, Redis, LISTEN).
 * @example
 * const server = await createApiServer({ config: loadConfig(), settings: apiSettingsFromEnv(), aggregates });
 * await server.listen();
 */
export const createApiServer = async (options: ApiServerOptions): Promise<ApiServer> => {
  const { config, settings } = options;
  const timeouts = settings.timeouts ?? defaultHttpTimeouts;
  const logger = options.logger ?? createLogger('chronicle-api');
  const pool = await openPodOrm(options, () => createPodOrm(config, 'api'));
  const { orm } = pool;
  const knex = orm.em.getKnex();
  // an outage is one warning line, not a stack trace per reconnect attempt
  const redisErrors = createConnectionErrorReporter(logger, `api: ${redisLabel(config)}`);
  const redis = redisErrors.watch(openRedis(config, { maxRetriesPerRequest: null }));
  redis.on('ready', () => redisErrors.recovered());
  const shardQueues = new ShardQueues(redis, config.queuePrefix, config.shards, redisErrors.watch);
  // the client knows the domain: unknown aggregates and commands, bad payloads are answered at once
  const client = createCommandClient({ ...config, aggregates: options.aggregates, logger });
  // its own session: past a pooler in transaction mode, straight to PostgreSQL when DATABASE_LISTEN_URL says
  const notifications = await listenForEvents(config.databaseListenUrl ?? config.databaseUrl, logger);
  const wakeup = new Wakeup();
  notifications.onEvents(() => wakeup.notify());
  const closing = new AbortController();
  let draining = false;
  const registry = createAggregateRegistry(options.aggregates);
  const ctx: ApiContext = {
    config,
    settings,
    aggregates: options.aggregates,
    registry,
    processManagers: options.processManagers ?? [],
    projections: options.projections ?? [],
    subscriptions: options.subscriptions ?? [],
    readModels: (options.projections ?? []).flatMap((projection) => projection.queries),
    knex,
    store: createPostgresEventStore(orm, { schemas: registry.schemas }),
    client,
    shardQueues,
    redis,
    wakeup,
    closing: closing.signal,
    streams: createStreamSlots(settings.stream.maxConnections, settings.stream.maxPerPrincipal),
    logger,
    checks: {
      postgres: async () => {
        await knex.raw('select 1');
        return true;
      },
      redis: async () => (await redis.ping()) === 'PONG',
    },
    isDraining: () => draining,
    ...(options.metricsHandler ? { metricsHandler: options.metricsHandler } : {}),
  };

  const authenticator = createAuthenticator(settings.auth);
  if (!authenticator.configured)
    logger.warn('no API keys, JWT secret or JWKS URL: every /v1 route answers 401');
  const refusals = createRefusalLog(logger);
  const app = createFastify(timeouts, logger, refusals);
  registerErrorHandling(app, refusals);
  registerAuthHooks(app, authenticator);
  recordRequests(app);
  await registerRateLimit(app, ctx);
  registerRoutes(app, apiRoutes(ctx));
  await registerWebSocketRoute(app, ctx);
  // live streams never end by themselves: end them first, or close() would wait for them forever
  app.addHook('preClose', async () => closing.abort());
  app.addHook('onClose', async () => {
    await notifications.close();
    await client.close();
    await shardQueues.close();
    await redis.quit();
    await pool.close();
  });
  await app.ready();

  return {
    app,
    context: ctx,
    listen: async () => {
      await app.listen({ port: settings.port, host: settings.host });
      return (app.server.address() as AddressInfo).port;
    },
    setDraining: () => {
      draining = true;
    },
    close: () => app.close(),
  };
};

/** The fastify app with Chronicle's limits: body size, path parameter length, Node's own timeouts. */
const createFastify = (timeouts: HttpTimeouts, logger: Logger, refusals: RefusalLog): FastifyInstance => {
  const baseLogger: FastifyBaseLogger = logger;
  const app: FastifyInstance = fastify({
    loggerInstance: baseLogger,
    // a line per request is the spans' job; errors are still logged by the error handler
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_PAYLOAD_BYTES,
    return503OnClosing: true,
    // an aggregate id of 200 characters, percent-encoded, must reach the route's own validation
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: (error, _request, reply) => sendError(error, reply, refusals),
    clientErrorHandler,
    // Node's own timeouts, checked often enough that they fire close to their value
    serverFactory: (handler) =>
      createServer(
        {
          headersTimeout: timeouts.headersMs,
          requestTimeout: timeouts.requestMs,
          keepAliveTimeout: timeouts.keepAliveMs,
          connectionsCheckingInterval: Math.min(5_000, Math.max(100, Math.floor(timeouts.headersMs / 4))),
        },
        handler,
      ),
  });
  // JSON only: fastify's built-in text/plain parser would hand routes a string (a 400 that should be 415)
  app.removeContentTypeParser('text/plain');
  return app;
};

/** Every answered request in the HTTP metrics, by route template and status. */
const recordRequests = (app: FastifyInstance): void => {
  app.addHook('onResponse', async (request, reply) => {
    recordHttpRequest({
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      durationMs: reply.elapsedTime,
    });
  });
};

/** Per-principal rate limits, counted in Redis so every api pod shares them (public routes are free). */
const registerRateLimit = async (app: FastifyInstance, ctx: ApiContext): Promise<void> => {
  const { config, settings, redis } = ctx;
  await app.register(rateLimit, {
    global: true,
    redis,
    nameSpace: `${config.queuePrefix}:rate-limit:`,
    timeWindow: settings.rateLimit.windowMs,
    max: (request) => principalOf(request)?.rateLimit ?? settings.rateLimit.max,
    // the principal was read in onRequest, before this hook; refused callers count by address
    keyGenerator: (request) => principalOf(request)?.id ?? `ip:${request.ip}`,
    allowList: (request) => (request.routeOptions.config?.access ?? 'public') === 'public',
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        'RATE_LIMITED',
        `rate limit of ${context.max} requests per ${settings.rateLimit.windowMs / 1000} s reached; retry in ${context.after}`,
        undefined,
        {
          'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))),
        },
      ),
  });
};

/**
 * Every route of the API: the fixed ones, the aggregates' resources beside them, the OpenAPI of all
 * (the WebSocket's too, which registerWebSocketRoute serves).
 */
const apiRoutes = (ctx: ApiContext): ApiRoute[] => {
  const routes: ApiRoute[] = [
    ...commandRoutes(ctx),
    ...aggregateRoutes(ctx),
    ...processManagerRoutes(ctx),
    ...streamListRoutes(ctx),
    ...correlationRoutes(ctx),
    streamRoute(ctx),
    ...readModelRoutes(ctx),
    ...projectionRoutes(ctx),
    ...machineRoutes(ctx),
    ...operationsRoutes(ctx),
    ...clusterRoutes(ctx),
    ...whatIfRoutes(ctx),
    ...subjectRoutes(ctx),
    ...uiRoutes(),
  ];
  routes.push(...resourceRoutes(ctx, routes));
  routes.push(openApiRoute(() => [...routes, webSocketRoute]));
  return routes;
};
