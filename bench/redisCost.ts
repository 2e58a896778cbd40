/**
 * What one command costs Redis, counted on a private redis-server (nobody else's commands in the
 * count): Redis commands and Redis CPU (INFO commandstats) per Chronicle command, beside the
 * BullMQ no-op job loop on the same shard count. Counts do not depend on how busy the machine is.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { bullmqBaseline } from './baselines.js';
import { commandThroughput } from './commandThroughput.js';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

type Stats = {
  readonly usedMemory: number;
  readonly calls: number;
  readonly usec: number;
  readonly byCommand: Record<string, number>;
  readonly usecByCommand: Record<string, number>;
};

const commandStats = async (redis: Redis): Promise<Stats> => {
  const info = await redis.info('commandstats');
  const memory = await redis.info('memory');
  const usedMemory = Number(/^used_memory:(\d+)/m.exec(memory)?.[1] ?? Number.NaN);
  const byCommand: Record<string, number> = {};
  const usecByCommand: Record<string, number> = {};
  let calls = 0;
  let usec = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    const [, name, count, time] = match;
    if (!name || name === 'info') continue;
    byCommand[name] = Number(count);
    usecByCommand[name] = Number(time);
    calls += Number(count);
    usec += Number(time);
  }
  return { usedMemory, calls, usec, byCommand, usecByCommand };
};

/** Counts what happens between the two marks of one measured load. */
const counted = async (redis: Redis, run: (mark: () => Promise<void>) => Promise<{ operations: number }>) => {
  const marks: Stats[] = [];
  const figures = await run(async () => {
    marks.push(await commandStats(redis));
  });
  const [before, after] = marks;
  if (!before || !after) throw new Error('the load was not marked');
  const per = (value: number) => Number((value / figures.operations).toFixed(2));
  const byCommand = Object.fromEntries(
    Object.entries(after.byCommand)
      .map(([name, calls]) => [name, per(calls - (before.byCommand[name] ?? 0))] as const)
      .filter(([, calls]) => calls > 0)
      .sort((a, b) => b[1] - a[1]),
  );
  const cpuByCommand = Object.fromEntries(
    Object.entries(after.usecByCommand)
      .map(([name, usec]) => [name, per(usec - (before.usecByCommand[name] ?? 0))] as const)
      .filter(([, usec]) => usec >= 1)
      .sort((a, b) => b[1] - a[1]),
  );
  return {
    redisCommandsPerCommand: per(after.calls - before.calls),
    redisCpuUsPerCommand: per(after.usec - before.usec),
    // what the finished jobs kept in Redis add up to (results are kept: removeOnComplete)
    redisBytesPerCommand: Math.round((after.usedMemory - before.usedMemory) / figures.operations),
    byCommand,
    cpuUsByCommand: cpuByCommand,
  };
};

export const redisCost = async (operations: number, concurrency: number, shards: number) => {
  const port = await freePort();
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let printed = '';
  await new Promise<void>((resolve, reject) => {
    server.once('exit', () => reject(new Error(`redis-server exited: ${printed}`)));
    server.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Ready to accept connections')) resolve();
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Redis(url);
  try {
    const chronicle = await counted(redis, (mark) =>
      commandThroughput(operations, concurrency, undefined, mark, url, shards),
    );
    const bullmq = await counted(redis, (mark) => bullmqBaseline(operations, concurrency, shards, mark, url));
    return { concurrency, shards, chronicle, baselineBullmqNoop: bullmq };
  } finally {
    redis.disconnect();
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
};
