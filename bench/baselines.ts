import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { benchEnvironment, REDIS_URL } from './benchEnvironment.js';
import { type LoadFigures, measureLoad } from './stats.js';

/** One-row INSERT transactions on a fresh table: `op` runs one, `stop` drops it all. */
export const startInsertLoop = async (concurrency: number) => {
  const env = await benchEnvironment('insert');
  const pool = new pg.Pool({ connectionString: env.databaseUrl, max: concurrency });
  await pool.query(
    'create table bench_rows (id bigint generated always as identity primary key, data jsonb not null)',
  );
  return {
    op: async (index: number) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('insert into bench_rows (data) values ($1)', [JSON.stringify({ index })]);
        await client.query('commit');
      } finally {
        client.release();
      }
    },
    stop: async () => {
      await pool.end();
      await env.drop();
    },
  };
};

/** The machine's raw speed, measured in the same run: one-row INSERT transactions. */
export const insertBaseline = async (operations: number, concurrency: number): Promise<LoadFigures> => {
  const loop = await startInsertLoop(concurrency);
  try {
    return await measureLoad(operations, concurrency, loop.op);
  } finally {
    await loop.stop();
  }
};

/**
 * A BullMQ no-op job loop on `queues` queues, each at global concurrency 1: `op` adds a job (to
 * queue index % queues), a worker completes it at once, and it waits for the answer.
 */
export const startNoopLoop = async (queues: number, redisUrl = REDIS_URL) => {
  const env = await benchEnvironment('bullmq');
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const names = Array.from({ length: queues }, (_, i) => `noop-${i}`);
  const producers = names.map((name) => new Queue(name, { connection, prefix: env.queuePrefix }));
  await Promise.all(producers.map((queue) => queue.setGlobalConcurrency(1)));
  // BullMQ leaves a connection it was given open on close: these are quit in stop()
  const listenerConnections = names.map(() => connection.duplicate());
  const listeners = names.map((name, i) => {
    const events = new QueueEvents(name, {
      connection: listenerConnections[i] as Redis,
      prefix: env.queuePrefix,
    });
    events.setMaxListeners(0);
    return events;
  });
  const workers = names.map(
    (name) =>
      new Worker(name, async () => ({ ok: true }), { connection, prefix: env.queuePrefix, concurrency: 1 }),
  );
  await Promise.all([...listeners, ...workers].map((part) => part.waitUntilReady()));
  return {
    op: async (index: number) => {
      const shard = index % queues;
      const job = await (producers[shard] as Queue).add(
        'noop',
        { index },
        { jobId: `noop-${index}`, removeOnComplete: true },
      );
      await job.waitUntilFinished(listeners[shard] as QueueEvents, 30_000);
    },
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(listeners.map((events) => events.close()));
      await Promise.all(listenerConnections.map((listenerConnection) => listenerConnection.quit()));
      await Promise.all(
        producers.map(async (queue) => {
          await queue.obliterate({ force: true });
          await queue.close();
        }),
      );
      await connection.quit();
      await env.drop();
    },
  };
};

/**
 * A BullMQ no-op job loop on as many queues as Chronicle has shards, each at global concurrency 1:
 * add a job, a worker completes it at once, the caller waits for the answer.
 */
export const bullmqBaseline = async (
  operations: number,
  concurrency: number,
  queues: number,
  mark?: () => Promise<void>,
  redisUrl = REDIS_URL,
): Promise<LoadFigures> => {
  const loop = await startNoopLoop(queues, redisUrl);
  try {
    await mark?.();
    const figures = await measureLoad(operations, concurrency, loop.op);
    await mark?.();
    return figures;
  } finally {
    await loop.stop();
  }
};
