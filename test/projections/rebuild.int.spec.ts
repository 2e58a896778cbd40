import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { ordersView, orderTotals } from '../../actors/projections/index.js';
import { projectionsRebuild } from '../../src/cli/projectionCommands.js';
import { defaultConfig } from '../../src/config/index.js';
import { createPostgresEventStore, query } from '../../src/eventStore/index.js';
import { type ProjectionWorker, projectionStatus, runProjectionWorker } from '../../src/projections/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import {
  appendOrders,
  foldOrderModels,
  foldOrdersView,
  orderIds,
  readOrderModels,
  readOrdersView,
} from './support/orderHistories.js';

describe('projections: rebuild', () => {
  let db: TestDatabase;
  let live: ProjectionWorker | undefined;
  const projections = [ordersView, orderTotals];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await live?.stop();
    await db.drop();
  });

  const caughtUp = async () =>
    (await projectionStatus(db.orm.em.getKnex(), domainEventSchemas, projections)).every(
      (partition) => partition.lag.events === 0,
    );

  it('builds shadow tables while the live ones keep serving, swaps them in, and equals the live projection', async () => {
    const knex = db.orm.em.getKnex();
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    live = await runProjectionWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      projections,
      settings: fastSettings('live', { batchSize: 50 }),
    });
    await appendOrders(store, orderIds(0, 300));
    await waitFor(caughtUp, { what: 'the live projections' });
    const before = await readOrdersView(knex);
    expect(before).toEqual(await foldOrdersView(knex));

    // readers keep seeing the live rows while the rebuild runs; writers keep appending
    let serving = true;
    let fewest = Number.POSITIVE_INFINITY;
    const reader = (async () => {
      while (serving) {
        const [row] = await query<{ n: string }>(knex, 'select count(*) as n from orders_view');
        fewest = Math.min(fewest, Number(row?.n));
      }
    })();
    const appending = appendOrders(store, orderIds(300, 100), { concurrency: 2 });
    const context = { orm: db.orm, aggregates, projections };
    const settings = { batchSize: 50, pollIntervalMs: 50, leaseTtlMs: 1_500 };
    const rebuilt = await projectionsRebuild(context, 'orders_view', { settings, checkEveryMs: 50 });
    const totals = await projectionsRebuild(context, 'order_totals', { settings, checkEveryMs: 50 });
    await appending;
    serving = false;
    await reader;
    expect(rebuilt).toMatchObject({ status: 'rebuilt', mode: 'shadow', name: 'orders_view' });
    expect(totals).toMatchObject({ status: 'rebuilt', mode: 'shadow', name: 'order_totals' });
    expect(fewest).toBeGreaterThanOrEqual(before.length);

    // the live workers carry on from the swapped-in checkpoints
    await waitFor(caughtUp, { what: 'the projections after the swap' });
    expect(await readOrderModels(knex)).toEqual(await foldOrderModels(knex));
    const leftovers = await query(
      knex,
      `select nspname from pg_namespace where nspname like 'chronicle_rebuild_%' or nspname like 'chronicle_retired_%'`,
    );
    expect(leftovers).toEqual([]);
    expect(await query(knex, `select * from es_checkpoints where subscription like '%:rebuild'`)).toEqual([]);
  });

  it('without declared tables, resets in place and the workers replay it to the same read model', async () => {
    const knex = db.orm.em.getKnex();
    const inPlace = { ...ordersView, tables: [] };
    const result = await projectionsRebuild(
      { orm: db.orm, aggregates, projections: [inPlace] },
      'orders_view',
    );
    expect(result).toEqual({ status: 'reset', mode: 'in-place', name: 'orders_view' });
    await waitFor(caughtUp, { what: 'the replay' });
    expect(await readOrdersView(knex)).toEqual(await foldOrdersView(knex));
  });

  it('answers unknown for a projection it does not know', async () => {
    expect(await projectionsRebuild({ orm: db.orm, aggregates, projections }, 'nope')).toEqual({
      status: 'unknown',
      name: 'nope',
      known: ['orders_view', 'order_totals'],
    });
  });
});
