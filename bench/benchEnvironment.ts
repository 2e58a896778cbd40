import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { domainMigrations } from '../migrations/domain/index.js';
import { migrate } from '../src/db/index.js';

const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chronicle_bench';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const PREFIX = 'chronicle_bench_';

const withAdmin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

const sessionsOn = async (client: pg.Client, database: string) =>
  (
    await client.query<{ application_name: string; state: string | null }>(
      'select application_name, state from pg_stat_activity where datname = $1',
      [database],
    )
  ).rows;

/**
 * Drops `database` once no session uses it, waiting up to `waitMs` for the last ones to close.
 * Never WITH (FORCE): terminating a connection that some pool still holds makes that pool emit
 * `error` ("terminating connection due to administrator command"), and a pool without a listener
 * kills the process. A database still in use is left and named; the next run sweeps it.
 */
export const dropWhenUnused = async (database: string, waitMs = 5_000): Promise<'dropped' | 'left'> =>
  withAdmin(async (client) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const sessions = await sessionsOn(client, database);
      if (sessions.length === 0) {
        try {
          await client.query(`drop database if exists "${database}"`);
          return 'dropped';
        } catch (error) {
          // 55006: a session connected between the check and the drop
          if ((error as { code?: string }).code !== '55006') throw error;
        }
      } else if (Date.now() > deadline) {
        console.warn(`bench: left database ${database}: ${sessions.length} session(s) still open`, sessions);
        return 'left';
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

/** Drops the bench databases earlier runs left behind (see dropWhenUnused), if nobody uses them. */
export const sweepLeftDatabases = async (prefix = PREFIX): Promise<string[]> => {
  const left = await withAdmin(async (client) =>
    (
      await client.query<{ datname: string }>(
        `select datname from pg_database d where starts_with(datname, $1)
           and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
        [prefix],
      )
    ).rows.map((row) => row.datname),
  );
  const dropped: string[] = [];
  for (const database of left) if ((await dropWhenUnused(database, 0)) === 'dropped') dropped.push(database);
  return dropped;
};

/**
 * Deletes the keys of a benchmark's queues from the shared Redis (BullMQ keeps finished jobs for a
 * day; runs left hundreds of megabytes). Queues on a private redis-server went with it.
 */
const deleteQueueKeys = async (queuePrefix: string) => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {}); // an unreachable Redis holds none of them
  try {
    await redis.connect();
    // a cluster's prefix is a hash tag, {prefix}: match it anywhere
    for await (const keys of redis.scanStream({ match: `*${queuePrefix}*`, count: 1_000 }))
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
  } catch {
    // nothing to clean where nothing was written
  } finally {
    redis.disconnect();
  }
};

let swept: Promise<unknown> | undefined;

/**
 * A fresh migrated database and a unique queue prefix for one benchmark. One session stays open on
 * the database until `drop`: the sweep drops any bench database nobody is connected to, and a
 * benchmark's pools may all be idle for a while (the saga bench's single-command database while
 * the sagas run), so another bench process starting then would drop it from under this one.
 */
export const benchEnvironment = async (name: string) => {
  swept ??= sweepLeftDatabases();
  await swept;
  const database = `${PREFIX}${name}_${randomBytes(3).toString('hex')}`;
  const url = new URL(server);
  url.pathname = `/${database}`;
  await migrate(url.toString(), domainMigrations);
  const hold = new pg.Client({ connectionString: url.toString(), application_name: 'chronicle-bench-hold' });
  hold.on('error', () => {}); // dropped with the database at the end: nothing to report
  await hold.connect();
  const queuePrefix = `chronicle_bench_${randomBytes(3).toString('hex')}`;
  return {
    databaseUrl: url.toString(),
    queuePrefix,
    drop: async () => {
      await hold.end();
      await dropWhenUnused(database);
      await deleteQueueKeys(queuePrefix);
    },
  };
};
