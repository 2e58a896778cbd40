import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersView, orderTotals, projections } from '../../actors/projections/index.js';
import { createPostgresEventStore, query } from '../../src/eventStore/index.js';
import { projectionStatus, projectionSubscription, resetProjection } from '../../src/projections/index.js';
import { SubscriptionHost } from '../../src/subscriptions/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import {
  appendOrders,
  foldOrdersView,
  foldOrderTotals,
  readOrdersView,
  readOrderTotals,
} from './support/orderHistories.js';

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('projections: batch handlers (orders_view, order_totals)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // histories appended in two parts, eight orders at a time: batches interleave streams and
    // cut an order's events across batches
    await appendOrders(createPostgresEventStore(db.orm), range(0, 300));
  });
  afterAll(() => db.drop());

  /** Replays both read models from the start in batches of `batchSize`, until caught up. */
  const replay = async (batchSize: number) => {
    const knex = db.orm.em.getKnex();
    for (const projection of projections) await resetProjection(knex, projection);
    const host = await SubscriptionHost.start({
      knex,
      subscriptions: projections.map((projection) => projectionSubscription(projection)),
      settings: fastSettings(`batch-${batchSize}`, { batchSize }),
    });
    try {
      await waitFor(
        async () =>
          (await projectionStatus(knex, projections)).every((partition) => partition.lag.events === 0),
        { what: `a replay in batches of ${batchSize}`, timeoutMs: 60_000, everyMs: 50 },
      );
    } finally {
      await host.stop();
    }
    return { view: await readOrdersView(knex), totals: await readOrderTotals(knex) };
  };

  it('given the same events, in batches of 500 or one at a time, both equal a fold with the order machine', async () => {
    const knex = db.orm.em.getKnex();
    const expected = { view: await foldOrdersView(knex), totals: await foldOrderTotals(knex) };
    expect(expected.view.length).toBe(300);
    expect(await replay(500)).toEqual(expected);
    expect(await replay(1)).toEqual(expected);
  });

  it('a batch that finds an order out of step (a gap) fails whole, writing none of it', async () => {
    const knex = db.orm.em.getKnex();
    await replay(500);
    const [row] = await query<{ version: number }>(
      knex,
      `select version from orders_view where order_id = 'o-1'`,
    );
    const countRows = () => query<{ rows: number }>(knex, 'select count(*)::int as rows from orders_view');
    const rowsBefore = await countRows();
    const events = await createPostgresEventStore(db.orm).readStream({
      streamType: 'order',
      streamId: 'o-1',
    });
    // o-1's last event again, and o-9999 placed: the repeat stops the batch, the placement too
    const last = events.at(-1);
    if (!last || !row) throw new Error('no history for o-1');
    const fresh = { ...events[0], streamId: 'o-9999', eventId: crypto.randomUUID() };
    const failing = ordersView.handler;
    if (failing.kind !== 'batch') throw new Error('orders_view should take batches');
    await expect(
      knex.transaction((tx) =>
        failing.handleBatch([fresh as typeof last, last], tx, { subscription: 'orders_view', partition: 0 }),
      ),
    ).rejects.toThrow(`orders_view has order o-1 at v${row.version}; the next event is v${last.version}`);
    expect(await query(knex, `select * from orders_view where order_id = 'o-9999'`)).toEqual([]);
    expect(await countRows()).toEqual(rowsBefore);

    // order_totals: an order it never saw placed cannot move
    const totals = orderTotals.handler;
    if (totals.kind !== 'batch') throw new Error('order_totals should take batches');
    const cancelled = { ...last, streamId: 'o-unknown', type: 'OrderCancelled', data: { reason: 'x' } };
    await expect(
      knex.transaction((tx) =>
        totals.handleBatch([cancelled as typeof last], tx, { subscription: 'order_totals', partition: 0 }),
      ),
    ).rejects.toThrow('order_totals has no order o-unknown to move');
  });
});
