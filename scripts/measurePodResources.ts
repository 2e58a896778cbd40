/**
 * Measures each pod kind's memory (RSS) and CPU under the sample's dev traffic, for the resource
 * requests and limits in deploy/kubernetes (docs/operations.md, "Kubernetes").
 *
 *   npx tsx scripts/measurePodResources.ts [commandsPerSecond=50] [seconds=60]
 *
 * Runs `chronicle migrate` on a database of its own (chronicle_measure, dropped first), starts one
 * process per pod kind (command, projection, snapshot, process-manager, api) on a queue prefix of its
 * own, plays the config's dev stories at the given rate, and samples every process's RSS and CPU
 * time from /proc once a second (Linux only). Prints, per kind, the RSS after start, its peak, and
 * the CPU it used (average and busiest second, in millicores).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCommandClient, createLogger, loadDeployment } from 'chronicle-runtime';
import { Redis } from 'ioredis';
import knex from 'knex';
import { startTrafficGenerator } from '../workers/dev/trafficGenerator.js';

const perSecond = Number(process.argv[2] ?? 50);
const seconds = Number(process.argv[3] ?? 60);
const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = 'chronicle_measure';
// the client below reads the environment as the pods do: one queue prefix and database for all
const env = Object.assign(process.env, {
  DATABASE_URL: new URL(database, admin.replace(/\/[^/]*$/, '/')).href,
  CHRONICLE_QUEUE_PREFIX: `measure-${process.pid}`,
  CHRONICLE_SHARDS: '32',
  METRICS_PORT: '0',
  PORT: '0',
  LOG_LEVEL: 'info',
  CHRONICLE_API_KEYS: JSON.stringify([{ key: 'measure-key-0000000001', name: 'measure', roles: ['read'] }]),
});
const kinds = ['command', 'projection', 'snapshot', 'process-manager', 'api'] as const;
const ticksPerSecond = 100; // USER_HZ on Linux

const cli = (args: string[]) =>
  spawn(process.execPath, ['--import', 'tsx', 'workers/cli.ts', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });

/** Resolves once the process logged its `<service> ready` line. */
const ready = (child: ReturnType<typeof cli>) =>
  new Promise<void>((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/ ready"/.test(output)) resolve();
    });
  });

/** RSS in MiB and CPU time in ticks of one process, from /proc. */
const sample = (pid: number) => {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { rssMiB: rssKb / 1024, ticks: Number(stat[11]) + Number(stat[12]) };
};

const main = async () => {
  const db = knex({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
  await db.raw(`drop database if exists ${database}`);
  await db.destroy();
  const migrate = cli(['migrate']);
  await new Promise((resolve) => migrate.on('exit', resolve));
  const pods = kinds.map((kind) => ({ kind, child: cli(['worker', kind]) }));
  await Promise.all(pods.map(({ child }) => ready(child)));
  await sleep(5_000); // settled after start
  const readings = new Map(
    pods.map(({ kind, child }) => [kind, { start: sample(child.pid ?? 0), peak: 0, busiest: 0 }]),
  );
  const client = createCommandClient();
  const { chronicle } = await loadDeployment();
  if (!chronicle.dev?.traffic) throw new Error('the config has no dev traffic to play');
  const traffic = startTrafficGenerator({
    client,
    perSecond,
    stories: chronicle.dev.traffic,
    logger: createLogger('measure'),
    reportEveryMs: 10_000,
  });
  const last = new Map(pods.map(({ kind, child }) => [kind, sample(child.pid ?? 0).ticks]));
  for (let s = 0; s < seconds; s++) {
    await sleep(1_000);
    for (const { kind, child } of pods) {
      const now = sample(child.pid ?? 0);
      const reading = readings.get(kind);
      if (!reading) continue;
      reading.peak = Math.max(reading.peak, now.rssMiB);
      reading.busiest = Math.max(reading.busiest, now.ticks - (last.get(kind) ?? now.ticks));
      last.set(kind, now.ticks);
    }
  }
  const report = await traffic.stop();
  for (const { kind, child } of pods) {
    const reading = readings.get(kind);
    const end = sample(child.pid ?? 0);
    if (!reading) continue;
    const averageMillicores = ((end.ticks - reading.start.ticks) / ticksPerSecond / seconds) * 1000;
    console.log(
      `${kind.padEnd(16)} rss start ${reading.start.rssMiB.toFixed(0)} MiB, peak ${reading.peak.toFixed(0)} MiB; cpu average ${averageMillicores.toFixed(0)}m, busiest second ${((reading.busiest / ticksPerSecond) * 1000).toFixed(0)}m`,
    );
  }
  console.log(
    `traffic: ${report.sent} sent, ${report.accepted} accepted, ${report.rejected} rejected, ${report.failed} failed`,
  );
  await client.close();
  for (const { child } of pods) child.kill('SIGTERM');
  // the queues go with the run: nothing is left in Redis under its prefix
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  for await (const keys of redis.scanStream({ match: `${env.CHRONICLE_QUEUE_PREFIX}:*`, count: 500 }))
    if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
  redis.disconnect();
};

await main();
