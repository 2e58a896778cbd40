import { parseArgs } from 'node:util';
import {
  createCommandClient,
  createLogger,
  createOrm,
  findUnreachable,
  type LoadedDeployment,
  loadConfig,
  loadNatsConfig,
  migrate,
  requireMigratedDatabase,
  ServiceUnreachableError,
  unreachableMessage,
} from 'chronicle-runtime';
import { CliUsageError } from '../../src/cli/index.js';
import { startRegistered } from '../pods/registerPod.js';
import type { PodDefinition, PodEngine } from '../pods/runPod.js';
import { runPod } from '../pods/runPod.js';
import { devApiKey, withDevApiKey } from './devApiKey.js';
import { devBaseUrl, printDevBanner } from './printDevBanner.js';
import { startTrafficGenerator, type TrafficGenerator } from './trafficGenerator.js';

/**
 * Connections of the pool every pod kind shares in `chronicle dev`. With the LISTEN sessions (the api
 * and each subscription pod kind hold one of their own) it stays within 20 under load. Batches that
 * also read through the pool (snapshots) are few next to it, and the pool serves waiters in order.
 */
const DEV_POOL_SIZE = 14;

export type DevOptions = { readonly traffic: number; readonly port?: string };

export const parseDevArgs = (args: string[]): DevOptions => {
  const { values } = parseArgs({ args, options: { traffic: { type: 'string' }, port: { type: 'string' } } });
  const traffic = values.traffic === undefined ? 0 : Number(values.traffic);
  if (!(traffic >= 0) || !Number.isFinite(traffic))
    throw new CliUsageError('--traffic must be commands per second (>= 0)');
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port))
    throw new CliUsageError('--port must be a port number');
  return { traffic, ...(values.port !== undefined ? { port: values.port } : {}) };
};

/**
 * The pods this run starts: all of them, except those needing NATS when NATS does not answer at
 * its default address (said in one line). A NATS address set on purpose must answer.
 */
const choosePods = async (pods: readonly PodDefinition[], log: (line: string) => void) => {
  if (!pods.some((pod) => pod.services?.includes('nats'))) return pods;
  const unreachable = await findUnreachable({ natsUrl: loadNatsConfig().url }, ['nats']);
  if (unreachable.length === 0) return pods;
  if (process.env.CHRONICLE_NATS_URL?.trim()) throw new ServiceUnreachableError(unreachable);
  const skipped = pods.filter((pod) => pod.services?.includes('nats'));
  log(
    `${unreachableMessage(unreachable)}; running without the ${skipped.map((pod) => pod.kind).join(', ')} pod`,
  );
  return pods.filter((pod) => !skipped.includes(pod));
};

/**
 * `chronicle dev`: migrates, then runs every pod kind in this one process (one telemetry, one
 * readable log), prints where to look with a dev API key, optionally plays traffic, and stops it
 * all on Ctrl-C (exit 0). Pods come from the same list `chronicle worker` reads.
 */
export const runDev = async (
  pods: readonly PodDefinition[],
  deployment: LoadedDeployment,
  options: DevOptions,
): Promise<void> => {
  const { dev } = deployment.chronicle;
  if (options.traffic > 0 && !dev.traffic)
    throw new CliUsageError(
      `--traffic: ${deployment.file} defines no dev traffic (dev.traffic in defineChronicle)`,
    );
  // the pods read their settings from the environment: dev only fills in what it owns, and the
  // config's dev defaults where the variable is not set
  process.env.LOG_FORMAT ||= 'pretty';
  process.env.HOST ||= '127.0.0.1';
  for (const [name, value] of Object.entries(dev.environment ?? {})) process.env[name] ||= value;
  process.env.PORT = options.port ?? (process.env.PORT || '3000');
  const key = devApiKey();
  process.env.CHRONICLE_API_KEYS = withDevApiKey(process.env.CHRONICLE_API_KEYS, key);

  await runPod(
    'chronicle-dev',
    deployment,
    async ({ metricsHandler }) => {
      const logger = createLogger('dev');
      const config = loadConfig();
      // which pods run is known before anything changes: an unreachable NATS set on purpose stops here
      const chosen = await choosePods(pods, (line) => logger.warn(line));
      const { applied } = await migrate(config.databaseUrl, deployment.migrations);
      logger.info({ applied: applied.length }, applied.length ? 'migrated' : 'schema up to date');
      // the schema and the keys are checked once migrated, not before the engine
      await requireMigratedDatabase(config.databaseUrl, deployment.chronicle.aggregates);

      // one pool for every pod kind: a developer's PostgreSQL is shared with everything on the machine
      const orm = await createOrm(config.databaseUrl, {
        poolSize: DEV_POOL_SIZE,
        preparedStatements: config.databasePreparedStatements,
      });
      const running: { pod: PodDefinition; engine: PodEngine }[] = [];
      const stopAll = async () => {
        for (const { engine } of running.reverse()) await engine.stop();
        await orm.close(true);
      };
      try {
        for (const pod of chosen) {
          const engine = await startRegistered(pod, {
            deployment,
            logger: createLogger(pod.kind),
            metricsHandler,
            orm,
          });
          running.push({ pod, engine });
        }
      } catch (error) {
        await stopAll();
        throw error;
      }
      const apiPort = running
        .map(({ engine }) => engine.ready?.port)
        .find((port) => typeof port === 'number');

      let traffic: TrafficGenerator | undefined;
      const client =
        options.traffic > 0 && dev.traffic
          ? createCommandClient({
              redisUrl: config.redisUrl,
              redisClusterNodes: config.redisClusterNodes,
              shards: config.shards,
              queuePrefix: config.queuePrefix,
            })
          : undefined;
      if (client && dev.traffic) {
        const trafficLogger = createLogger('traffic');
        let shown = false;
        traffic = startTrafficGenerator({
          client,
          perSecond: options.traffic,
          stories: dev.traffic,
          logger: trafficLogger,
          // one order to follow live in the visualiser, so the page has something to show at once
          // one story to follow live in the visualiser, so the page has something to show at once
          onStoryStarted: (id, story) => {
            const aggregate = story.steps[0]?.aggregateType;
            if (shown || typeof apiPort !== 'number' || !aggregate) return;
            shown = true;
            trafficLogger.info(
              `follow ${id}: its chart ${devBaseUrl(apiPort)}/ui/#key=${key}&aggregate=${aggregate}&id=${id}, its whole story ${devBaseUrl(apiPort)}/ui/#key=${key}&story=${id}`,
            );
          },
        });
      }
      printDevBanner({
        pods: running.map(({ pod }) => pod.kind),
        port: typeof apiPort === 'number' ? apiPort : undefined,
        key,
        traffic: options.traffic,
        ...(dev.trafficSummary ? { trafficSummary: dev.trafficSummary } : {}),
        ...(running.some(({ pod }) => pod.services?.includes('nats')) ? { nats: loadNatsConfig() } : {}),
      });
      return {
        servesProbes: true,
        ready: { pods: running.map(({ pod }) => pod.kind).join(','), ...(apiPort ? { port: apiPort } : {}) },
        stop: async () => {
          await traffic?.stop();
          await client?.close();
          await stopAll();
        },
      };
    },
    { checksDatabaseItself: true },
  );
};
