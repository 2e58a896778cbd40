import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { domainMigrations } from '../migrations/domain/index.js';
import { migrate } from '../src/db/index.js';

const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chronicle_bench';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh migrated database and a unique queue prefix for one benchmark. */
export const benchEnvironment = async (name: string) => {
  const database = `chronicle_bench_${name}_${randomBytes(3).toString('hex')}`;
  const url = new URL(server);
  url.pathname = `/${database}`;
  await migrate(url.toString(), domainMigrations);
  return {
    databaseUrl: url.toString(),
    queuePrefix: `chronicle_bench_${randomBytes(3).toString('hex')}`,
    drop: async () => {
      const admin = new URL(server);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`drop database if exists "${database}" with (force)`);
      await client.end();
    },
  };
};
