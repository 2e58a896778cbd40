import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { domainMigrations } from '../../migrations/domain/index.js';
import { createOrm, migrate, type Orm } from '../../src/db/index.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chronicle_test';

export type TestDatabase = {
  readonly url: string;
  readonly name: string;
  readonly orm: Orm;
  drop(): Promise<void>;
};

const adminQuery = async (sql: string) => {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/**
 * A fresh database migrated as `chronicle migrate` does it (the runtime's schema, then the sample
 * domain's), one per test file, so files run in parallel without sharing rows.
 */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const name = `chronicle_t_${randomBytes(5).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString(), domainMigrations);
  const orm = await createOrm(url.toString(), { migrations: domainMigrations });
  return {
    url: url.toString(),
    name,
    orm,
    drop: async () => {
      await orm.close(true);
      await dropDatabase(url.toString());
    },
  };
};

/** Drops a database a test made (its connections are closed by force). */
export const dropDatabase = async (databaseUrl: string): Promise<void> => {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await adminQuery(`drop database if exists "${name}" with (force)`);
};

/** A unique BullMQ prefix per test file. */
export const testQueuePrefix = () => `chronicle_t_${randomBytes(4).toString('hex')}`;

/** Deletes every Redis key under a test's BullMQ prefix, so test runs leave nothing behind. */
export const dropQueuePrefix = async (redisUrl: string, prefix: string): Promise<void> => {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
};
