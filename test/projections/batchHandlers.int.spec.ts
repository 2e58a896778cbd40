import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { ordersView, orderTotals, projections } from '../../actors/projections/index.js';
import { createPostgresEventStore, query } from '../../src/eventStore/index.js';
import { projectionStatus, projectionSubscription, resetProjection } from '../../src/projections/index.js';
import { SubscriptionHost } from '../../src/subscriptions/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { appendOrders, foldOrderModels, orderIds, readOrderModels } from './support/orderHistories.js';

describe('projections: batch handlers (orders_view, order_totals)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // histories appended in two parts, eight orders at a time: batches interleave streams and
    // cut an order's events across batches
    await appendOrders(createPostgresEventStore(db.orm, { schemas: domainEventSchemas }), orderIds(0, 150));
  });
  afterAll(() => db.drop());

  /** Replays both read models from the start in batches of `batchSize`, until caught up. */
  const replay = async (batchSize: number) => {
    const knex = db.orm.em.getKnex();
    for (const projection of projections) await resetProjection(knex, projection);
    const host = await SubscriptionHost.start({
      schemas: domainEventSchemas,
      knex,
      subscriptions: projections.map((projection) => projectionSubscription(projection)),
      settings: fastSettings(`batch-${batchSize}`, { batchSize }),
    });
    try {
      await waitFor(
        async () =>
          (await projectionStatus(knex, domainEventSchemas, projections)).every(
            (partition) => partition.lag.events === 0,
          ),
        { what: `a replay in batches of ${batchSize}`, timeoutMs: 60_000, everyMs: 50 },
      );
    } finally {
      await host.stop();
    }
    return readOrderModels(knex);
  };

  it('given the same events, in batches of 500 or one at a time, both equal a fold with the order machine', async () => {
    const knex = db.orm.em.getKnex();
    const expected = await foldOrderModels(knex);
    expect(expected.view.length).toBe(150);
    expect(await replay(500)).toEqual(expected);
    expect(await replay(1)).toEqual(expected);
  });

  it('a batch that finds an order out of step (a repeat, or a placement again) fails whole, writing none of it', async () => {
    const knex = db.orm.em.getKnex();
    await replay(500);
    const countRows = () => query<{ rows: number }>(knex, 'select count(*)::int as rows from orders_view');
    const rowsBefore = await countRows();
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    const failing = ordersView.handler;
    if (failing.kind !== 'batch') throw new Error('orders_view should take batches');
    const [first] = await store.readStream({ streamType: 'order', streamId: 'o-1' });
    if (!first) throw new Error('no history for o-1');
    const fresh = { ...first, streamId: 'o-9999', eventId: crypto.randomUUID() };
    // an order's last event again, and its placement again: each stops the batch, o-9999's placement too
    const [moved] = await query<{ order_id: string; version: number }>(
      knex,
      `select order_id, version from orders_view where version > 1 order by order_id limit 1`,
    );
    if (!moved) throw new Error('no order moved past its placement');
    const movedEvents = await store.readStream({ streamType: 'order', streamId: moved.order_id });
    const repeats = [
      { event: movedEvents.at(-1), at: moved.version },
      {
        event: first,
        at: (
          await query<{ version: number }>(knex, `select version from orders_view where order_id = 'o-1'`)
        )[0]?.version,
      },
    ];
    for (const { event, at } of repeats) {
      if (!event) throw new Error('no event to repeat');
      await expect(
        knex.transaction((tx) =>
          failing.handleBatch([fresh as typeof event, event], tx, {
            subscription: 'orders_view',
            partition: 0,
          }),
        ),
      ).rejects.toThrow(
        `orders_view has order ${event.streamId} at v${at}; the next event is v${event.version}`,
      );
    }
    expect(await query(knex, `select * from orders_view where order_id = 'o-9999'`)).toEqual([]);
    expect(await countRows()).toEqual(rowsBefore);

    const last = movedEvents.at(-1);
    if (!last) throw new Error('no history');
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
