import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggerPort } from '../../src/logging/index.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { PGBOUNCER } from '../support/privatePgBouncer.js';
import { type BehindPgBouncer, startBehindPgBouncer } from './support/behindPgBouncer.js';

/** The SQLSTATE of each transient failure the worker retried, in order. */
const retriedStates = () => {
  const states: string[] = [];
  const logger: LoggerPort = {
    info: () => {},
    warn: (object) => {
      const code = (object as { err?: { code?: unknown } }).err?.code;
      if (typeof code === 'string') states.push(code);
    },
    error: () => {},
  };
  return { states, logger };
};

/**
 * Other clients of the bouncer, each running short transactions until stopped, as other pods would:
 * they take server connections in turn, so the worker's connections keep moving between them.
 */
const churn = async (databaseUrl: string, clients: number) => {
  let running = true;
  const connected = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  const loops = connected.map(async (client) => {
    while (running) await client.query('select pg_sleep(0.002)');
    await client.end();
  });
  return async () => {
    running = false;
    await Promise.all(loops);
  };
};

/*
 * The mistake the setting guards against: a command worker behind PgBouncer 1.18 in transaction
 * mode with named prepared statements left on. A statement prepared on one server connection is
 * missing on the next (26000) or already there from another client (42P05): either is the
 * pooler's doing, so the command is retried in place, and every command is still accepted.
 */
describe.skipIf(!PGBOUNCER)('named prepared statements left on behind PgBouncer', () => {
  let behind: BehindPgBouncer;
  const retried = retriedStates();

  beforeAll(async () => {
    behind = await startBehindPgBouncer();
    await behind.path.startWorker({
      config: { ...behind.config, databasePreparedStatements: true },
      logger: retried.logger,
    });
  });
  afterAll(() => behind?.close());

  it('retries each command a lost or doubled prepared statement failed and accepts every one, none dead-lettered', async () => {
    const { client } = behind.path;
    const orders = Array.from({ length: 16 }, (_, i) => `named-${i}`);
    const stopChurn = await churn(behind.config.databaseUrl, 2);
    const results = await Promise.all(
      orders.map(async (id) => [
        await client.send(placeOrder(id), { wait: true }),
        await client.send(paymentAttempt(id, 1), { wait: true }),
        await client.send(paymentAttempt(id, 2), { wait: true }),
      ]),
    ).finally(stopChurn);
    expect(results.flat().filter((result) => result.status !== 'accepted')).toEqual([]);
    // the pooler did move statements: what was retried was that, and only that
    expect(retried.states.length).toBeGreaterThan(0);
    expect(new Set(retried.states)).toSatisfy((states: Set<string>) =>
      [...states].every((state) => state === '26000' || state === '42P05'),
    );
  });
});
