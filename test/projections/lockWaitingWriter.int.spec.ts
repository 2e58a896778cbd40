import type { Knex } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { projections } from '../../actors/projections/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { appendToStream, createPostgresEventStore, query, readHorizon } from '../../src/eventStore/index.js';
import type { DomainEvent } from '../../src/messages/index.js';
import { type ProjectionWorker, projectionStatus, runProjectionWorker } from '../../src/projections/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { orderHistory } from './support/orderHistories.js';

const metadata = (commandId: string) => ({ commandId, correlationId: commandId, causationId: commandId });

/** Appends inside `tx` (a session of the test's own), so it commits with that session. */
const appendIn = (tx: Knex.Transaction, streamId: string, expectedVersion: number, events: DomainEvent[]) =>
  appendToStream(tx, domainEventSchemas, {
    streamType: 'order',
    streamId,
    expectedVersion,
    events,
    metadata: metadata(`${streamId}-${expectedVersion}`),
    command: { commandId: `${streamId}-${expectedVersion}`, type: 'Test' },
  });

describe('projections: a writer that a projection batch waits on', () => {
  let db: TestDatabase;
  let worker: ProjectionWorker | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await worker?.stop();
    await db.drop();
  });

  it('is not passed over by the horizon: the event it appends later is projected', async () => {
    const knex = db.orm.em.getKnex();
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    // order ids whose orders_view partitions (4) differ: Y must not queue behind X's batch
    const [ids] = await query<{ x: string; y: string; z: string }>(
      knex,
      `with c as (select 'order-' || n as id, abs(hashtextextended('order-' || n, 0) % 4) as p
                  from generate_series(1, 64) n)
       select (select id from c where p = 0 limit 1) as x, (select id from c where p = 1 limit 1) as y,
              (select id from c where p = 2 limit 1) as z`,
    );
    const { x = '', y = '', z = '' } = ids ?? {};
    const [placed] = orderHistory(1);
    if (!placed) throw new Error('an order history starts with OrderPlaced');
    const next: DomainEvent = { type: 'OrderPaymentInitiated', data: {} };
    await store.append({
      streamType: 'order',
      streamId: x,
      expectedVersion: 0,
      events: [placed],
      metadata: metadata(`${x}-0`),
      command: { commandId: `${x}-0`, type: 'Test' },
    });
    worker = await runProjectionWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      projections,
      settings: fastSettings('w1'),
    });
    const caughtUp = async () =>
      (await projectionStatus(knex, domainEventSchemas, projections)).every((p) => p.lag.events === 0);
    await waitFor(
      async () => (await caughtUp()) && (await query(knex, 'select 1 from orders_view')).length === 1,
      {
        what: 'X in orders_view',
      },
    );

    // given session A with a transaction id, then session W with a later one holding X's orders_view row
    const a = await knex.transaction();
    const w = await knex.transaction();
    try {
      await a.raw('select pg_current_xact_id()');
      const [writer] = (await w.raw('select pg_backend_pid() as pid, pg_current_xact_id()::text as xid'))
        .rows as {
        pid: number;
        xid: string;
      }[];
      await w.raw('update orders_view set updated_at = updated_at where order_id = ?', [x]);
      // when A appends X's next event and commits: X's orders_view batch waits on W's row lock
      await appendIn(a, x, 1, [next]);
      await a.commit();
      await waitFor(
        async () =>
          (
            await query(knex, 'select 1 from pg_stat_activity where ? = any(pg_blocking_pids(pid))', [
              writer?.pid ?? 0,
            ])
          ).length > 0,
        { what: "X's batch to wait on W" },
      );
      // and the project appends another event
      await store.append({
        streamType: 'order',
        streamId: z,
        expectedVersion: 0,
        events: [placed],
        metadata: metadata(`${z}-0`),
        command: { commandId: `${z}-0`, type: 'Test' },
      });
      // then the horizon holds at W, and names it as what the subscriptions wait for
      const horizon = await readHorizon(knex);
      expect(horizon.transactionId).toBe(writer?.xid);
      expect(horizon.blocker).toMatchObject({ pid: writer?.pid, state: 'idle in transaction' });
      await appendIn(w, y, 0, [placed]);
      await w.commit();
    } finally {
      if (!a.isCompleted()) await a.rollback();
      if (!w.isCompleted()) await w.rollback();
    }

    // and W appends Y's first event and commits: once no projection lags, Y is in orders_view and in order_totals
    await waitFor(caughtUp, { what: 'the projections to catch up' });
    const views = await query<{ order_id: string }>(
      knex,
      'select order_id from orders_view order by order_id',
    );
    expect(views.map((row) => row.order_id).sort()).toEqual([x, y, z].sort());
    const totals = await query<{ order_id: string }>(knex, 'select order_id from order_totals_orders');
    expect(totals.map((row) => row.order_id).sort()).toEqual([x, y, z].sort());
  });
});
