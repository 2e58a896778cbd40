import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { benchEnvironment, sweepLeftDatabases } from '../../bench/benchEnvironment.js';

const databaseOf = (url: string) => new URL(url).pathname.slice(1);

const exists = async (url: string) => {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rows } = await client.query('select 1 from pg_database where datname = $1', [databaseOf(url)]);
    return rows.length === 1;
  } finally {
    await client.end();
  }
};

describe('bench environment: dropping the bench database', () => {
  it('given a pool without an error listener still holding a connection, leaves the database (the pool is never terminated), and a later sweep drops it once the pool is closed', async () => {
    const env = await benchEnvironment('droptest');
    // like a pool someone forgot to end: an idle connection and no 'error' listener, so a
    // terminated connection would throw out of the process
    const pool = new pg.Pool({ connectionString: env.databaseUrl, max: 1 });
    await pool.query('select 1');
    const drop = env.drop();
    await expect(drop).resolves.toBeUndefined();
    expect(await exists(env.databaseUrl)).toBe(true);
    expect((await pool.query('select 1 as alive')).rows).toEqual([{ alive: 1 }]);

    await pool.end();
    // only this spec's databases: a bench may be running beside the tests
    expect(await sweepLeftDatabases('chronicle_bench_droptest_')).toContain(databaseOf(env.databaseUrl));
    expect(await exists(env.databaseUrl)).toBe(false);
  });

  it('drops the database at once when every connection is closed', async () => {
    const env = await benchEnvironment('droptest');
    const pool = new pg.Pool({ connectionString: env.databaseUrl, max: 1 });
    await pool.query('select 1');
    await pool.end();
    await env.drop();
    expect(await exists(env.databaseUrl)).toBe(false);
  });
});
