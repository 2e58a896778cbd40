import {
  createDependencyChecks,
  createLogger,
  type DependencyChecks,
  isChronicleError,
  type LoadedDeployment,
  type Logger,
  loadConfig,
  loadDeployment,
  loadNatsConfig,
  type Orm,
  type PodServer,
  type ReadinessCheck,
  requireMigratedDatabase,
  requireServices,
  runUntilSignal,
  type ServiceName,
  startPodServer,
  warnIfRedisNotDurable,
} from 'chronicle-runtime';
import { type ChronicleServiceName, type PrometheusText, startTelemetry } from '../../otel/index.js';
import { EXIT, errorLine, printError } from '../../src/cli/index.js';
import { startRegistered } from './registerPod.js';

/** What a pod kind provides: its engine, started, with a graceful stop and any checks of its own. */
export type PodEngine = {
  /** Added to the PostgreSQL and Redis checks every pod has. */
  readonly checks?: Readonly<Record<string, ReadinessCheck>>;
  /**
   * The engine serves /healthz, /readyz and /metrics itself (the api pod, on its own port): no
   * separate pod server. Its stop must then report not-ready first.
   */
  readonly servesProbes?: true;
  /** Fields for the `<service> ready` log line (e.g. the port it listens on). */
  readonly ready?: Readonly<Record<string, unknown>>;
  /** The id its leases (and jobs) name: the pod registers under it in the cluster view. */
  readonly workerId?: string;
  /** What the cluster view shows of its work (a command pod: `shards`, the queues it works). */
  readonly details?: Readonly<Record<string, unknown>>;
  stop(): Promise<void>;
};

/** What the pod gives its engine: the deployment it runs (its loaded config), a logger, /metrics. */
export type PodContext = {
  readonly deployment: LoadedDeployment;
  readonly logger: Logger;
  readonly metricsHandler: PrometheusText;
  /** A pool shared by every pod kind of the process (`chronicle dev`); unset: each opens its own. */
  readonly orm?: Orm | undefined;
};

/**
 * A pod kind: its name after `chronicle worker`, its service name in telemetry, how its engine
 * starts, and the services it needs besides PostgreSQL and Redis. `chronicle worker <kind>` runs
 * one in its own process (`runPodDefinition`); `chronicle dev` runs them all in one.
 */
export type PodDefinition = {
  readonly kind: string;
  readonly serviceName: ChronicleServiceName;
  readonly start: (pod: PodContext) => Promise<PodEngine>;
  readonly services?: readonly ServiceName[];
};

/** Every pod checks PostgreSQL and Redis for readiness, so every pod needs them to start. */
const podServices: readonly ServiceName[] = ['postgres', 'redis'];

/**
 * The life of every pod (command, projection, snapshot, api, nats): telemetry first (so every span and
 * metric is captured), signal handlers next (a SIGTERM during start-up waits for the start, then
 * stops), then a check that its services answer (PostgreSQL, Redis, plus `services`), the engine,
 * /healthz, /readyz and /metrics, and the `<service> ready` log line. On SIGTERM/SIGINT: not
 * ready, finish the work in hand and stop, flush telemetry, exit 0. A failed start exits 1; an
 * unreachable service is one log line naming it, its address and how to start it.
 */
export const runPod = async (
  serviceName: ChronicleServiceName,
  deployment: LoadedDeployment,
  start: (pod: PodContext) => Promise<PodEngine>,
  options: {
    readonly services?: readonly ServiceName[];
    /** The engine checks the schema and the key-encryption keys itself (`chronicle dev`, once it has migrated). */
    readonly checksDatabaseItself?: true;
  } = {},
): Promise<void> => {
  const telemetry = startTelemetry({ serviceName });
  const logger = createLogger(serviceName);
  let engine: PodEngine | undefined;
  let dependencies: DependencyChecks | undefined;
  let server: PodServer | undefined;
  const shutDown = async () => {
    server?.setDraining();
    await engine?.stop();
    await server?.close();
    await dependencies?.close();
    await telemetry.shutdown();
  };
  const starting = (async () => {
    const services = [...podServices, ...(options.services ?? [])];
    const natsUrl = services.includes('nats') ? { natsUrl: loadNatsConfig().url } : {};
    await requireServices({ ...loadConfig(), ...natsUrl }, services);
    // a database this release's migrations have not reached stops here, and so does a deployment
    // with personal fields without the right key-encryption keys
    if (!options.checksDatabaseItself)
      await requireMigratedDatabase(loadConfig().databaseUrl, deployment.chronicle.aggregates);
    engine = await start({ deployment, logger, metricsHandler: telemetry.metricsHandler });
    // every pod kind uses Redis: each says so at start when Redis may lose what it was given (after
    // the engine started, so a service the engine finds unreachable is still the one line said)
    await warnIfRedisNotDurable(loadConfig(), logger);
    if (engine.servesProbes) return;
    dependencies = createDependencyChecks(loadConfig());
    server = await startPodServer({
      logger,
      checks: { ...dependencies.checks, ...engine.checks },
      metricsHandler: telemetry.metricsHandler,
    });
  })();
  const stopped = runUntilSignal(
    {
      stop: async () => {
        await starting.catch(() => {});
        await shutDown();
      },
    },
    logger,
  );
  try {
    await starting;
  } catch (error) {
    if (isChronicleError(error, 'SERVICE_UNREACHABLE') || isChronicleError(error, 'CONFIGURATION'))
      logger.fatal(error.message);
    else logger.fatal({ err: error }, `${serviceName} failed to start`);
    await shutDown().catch((stopError) =>
      logger.error({ err: stopError }, 'stop after a failed start failed'),
    );
    process.exit(1);
  }
  logger.info({ ...engine?.ready, ...(server ? { metricsPort: server.port } : {}) }, `${serviceName} ready`);
  await stopped;
};

/**
 * Runs one pod kind as this process, until SIGTERM/SIGINT, on `deployment` or else the config
 * found as the CLI finds it (CHRONICLE_CONFIG, or the working directory and up): a config that
 * cannot be loaded is one line on stderr and exit 1.
 */
export const runPodDefinition = async (pod: PodDefinition, deployment?: LoadedDeployment): Promise<void> => {
  let loaded = deployment;
  if (!loaded) {
    try {
      loaded = await loadDeployment();
    } catch (error) {
      printError(errorLine(error));
      process.exit(EXIT.error);
    }
  }
  await runPod(
    pod.serviceName,
    loaded,
    (context) => startRegistered(pod, context),
    pod.services ? { services: pod.services } : {},
  );
};
