/**
 * Scale-out: command-worker pods as real processes (workers/command-worker.ts), a client in this
 * process, on a Redis of the bench's own (a private redis-server, or a private Redis Cluster), so
 * the count of Redis commands per Chronicle command is nobody else's. Pods are added to a running
 * deployment (1, then 2, then 4), each step measured on the same live orders.
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createCommandClient } from '../src/commands/index.js';
import type { ChronicleConfig, RedisNode } from '../src/config/index.js';
import { startPrivateRedis } from '../test/support/privateRedis.js';
import { type PodProcess, startPod } from '../test/support/processes.js';
import { startPrivateRedisCluster } from '../test/support/redisCluster.js';
import { benchEnvironment } from './benchEnvironment.js';
import { benchHistoryCommand, benchPlaceOrder } from './commandThroughput.js';
import { type LoadFigures, measureLoad, pickMedian, ratio } from './stats.js';

/** A Redis of the bench's own: where it is, and one connection per master to count commands on. */
export type BenchRedis = {
  readonly kind: 'single' | 'cluster';
  readonly target: Pick<ChronicleConfig, 'redisUrl' | 'redisClusterNodes'>;
  readonly servers: readonly { host: string; port: number }[];
  stop(): Promise<void>;
};

export const startBenchRedis = async (kind: 'single' | 'cluster'): Promise<BenchRedis> => {
  if (kind === 'single') {
    const redis = await startPrivateRedis(['--appendonly', 'no']);
    return {
      kind,
      target: { redisUrl: redis.url },
      servers: [{ host: '127.0.0.1', port: redis.port }],
      stop: () => redis.stop(),
    };
  }
  const cluster = await startPrivateRedisCluster(3);
  return {
    kind,
    target: { redisUrl: 'redis://127.0.0.1:6379', redisClusterNodes: cluster.nodes },
    servers: cluster.nodes,
    stop: () => cluster.stop(),
  };
};

/** Commands every server of `redis` ran so far (INFO commandstats, INFO itself left out). */
const redisCalls = async (redis: BenchRedis): Promise<number> => {
  let calls = 0;
  for (const { host, port } of redis.servers) {
    const client = new Redis({ host, port });
    try {
      const info = await client.info('commandstats');
      for (const [, name, count] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
        if (name !== 'info') calls += Number(count);
    } finally {
      client.disconnect();
    }
  }
  return calls;
};

export type ScaleStep = LoadFigures & {
  readonly workers: number;
  readonly shards: number;
  readonly redis: 'single' | 'cluster';
  readonly redisCommandsPerCommand: number;
  readonly loadAverage: number;
};

const nodesSetting = (nodes: readonly RedisNode[]) =>
  nodes.map(({ host, port }) => `${host}:${port}`).join(',');

/** A deployment under test: `grow` adds pods, `closedLoad` and `openLoad` drive live orders. */
export const startDeployment = async (redis: BenchRedis, shards: number, orders: number) => {
  const env = await benchEnvironment('scaleout');
  // a session held open until the end: another bench process sweeps bench databases nobody uses,
  // and the pods take seconds to connect
  const holder = new pg.Client({ connectionString: env.databaseUrl });
  await holder.connect();
  const config: ChronicleConfig = {
    databaseUrl: env.databaseUrl,
    ...redis.target,
    shards,
    queuePrefix: env.queuePrefix,
    commandLockMs: 15_000,
  };
  const podEnv: Record<string, string> = {
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    ...(config.redisClusterNodes ? { REDIS_CLUSTER_NODES: nodesSetting(config.redisClusterNodes) } : {}),
    CHRONICLE_SHARDS: String(shards),
    CHRONICLE_QUEUE_PREFIX: config.queuePrefix,
    CHRONICLE_COMMAND_LOCK_MS: String(config.commandLockMs),
    LOG_LEVEL: 'warn',
  };
  const pods: PodProcess[] = [];
  const client = createCommandClient(config);
  const sent = new Array<number>(orders).fill(0);
  /** Sends the next command of `order`'s history and waits for its answer. */
  const next = async (order: number) => {
    const n = (sent[order] ?? 0) + 1;
    sent[order] = n;
    const result = await client.send(benchHistoryCommand(`scale-${order}`, n), {
      wait: true,
      timeoutMs: 120_000,
    });
    if (result.status !== 'accepted')
      throw new Error(`bench command rejected: ${result.code} ${result.message}`);
  };
  let placed = false;
  const deployment = {
    config,
    pods: () => pods.length,
    /**
     * Starts pods until there are `count`, each ready when its shard workers run. A new pod runs
     * cold (its code not yet compiled by the JIT, half the speed of a warm one here: one pod ran
     * 854/s for its first 1,000 commands and 1,705/s for the next 3,000), so before a figure is
     * taken `warmUp` commands go through the deployment unmeasured, as they would in a pod that
     * has served for a while. The first call places the orders the load runs on.
     */
    grow: async (count: number, warmUp = 3_000) => {
      const started: PodProcess[] = [];
      while (pods.length + started.length < count)
        started.push(startPod('workers/command-worker.ts', { ...podEnv, LOG_LEVEL: 'info' }));
      await Promise.all(started.map((pod) => pod.waitFor(/command worker started/, 180_000)));
      pods.push(...started);
      if (!placed) {
        for (let order = 0; order < orders; order++)
          await client.send(benchPlaceOrder(`scale-${order}`), { wait: true, timeoutMs: 120_000 });
        placed = true;
      }
      if (started.length > 0) await measureLoad(warmUp, 16, (index) => next(index % orders));
    },
    /** `operations` commands from `callers` callers, each waiting for its answer. */
    closedLoad: async (operations: number, callers: number): Promise<ScaleStep> => {
      const before = await redisCalls(redis);
      const figures = await measureLoad(operations, callers, (index) => next(index % orders));
      const after = await redisCalls(redis);
      return {
        ...figures,
        workers: pods.length,
        shards,
        redis: redis.kind,
        redisCommandsPerCommand: ratio(after - before, operations),
        loadAverage: loadAverage(),
      };
    },
    next,
    stop: async () => {
      await client.close();
      await Promise.all(pods.map((pod) => pod.kill('SIGTERM')));
      await holder.end();
      await env.drop();
    },
  };
  return deployment;
};

/** The 1-minute load average when a figure was taken (the machine is shared). */
export const loadAverage = () => Number((loadavg()[0] ?? Number.NaN).toFixed(1));

/**
 * Throughput with 1, 2 and 4 command-worker pods over 8, 32 and 128 shards, `callers` waiting
 * callers on callers × 4 orders, on a private redis-server; and Redis commands per command.
 */
export const scaleOut = async (
  operations: number,
  callers: number,
  rounds = 1,
  shardCounts: readonly number[] = [8, 32, 128],
  podCounts: readonly number[] = [1, 2, 4],
) => {
  const redis = await startBenchRedis('single');
  // every (shards, pods) step once per round, rounds one after the other, so a noisy spell on the
  // shared machine hits each step alike; the median round of each step is kept
  const runs = new Map<string, ScaleStep[]>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const shards of shardCounts) {
        const deployment = await startDeployment(redis, shards, callers * 4);
        try {
          for (const count of podCounts) {
            await deployment.grow(count);
            const step = await deployment.closedLoad(operations, callers);
            console.log(
              `scale-out round ${round + 1}: ${shards} shards, ${count} pod(s): ${step.perSecond}/s, p99 ${step.p99Ms} ms, load ${step.loadAverage}`,
            );
            const key = `${shards}/${count}`;
            runs.set(key, [...(runs.get(key) ?? []), step]);
          }
        } finally {
          await deployment.stop();
        }
      }
    }
  } finally {
    await redis.stop();
  }
  const steps = [...runs.values()].map((all) => pickMedian(all));
  const base = steps[0];
  return {
    callers,
    operations,
    rounds,
    note: 'medians of the rounds; vsFirst: perSecond against 1 pod on the first shard count, same run',
    steps: steps.map((step) => ({ ...step, vsFirst: base ? ratio(step.perSecond, base.perSecond) : 1 })),
  };
};
