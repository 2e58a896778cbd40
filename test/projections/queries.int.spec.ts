import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas, order } from '../../actors/index.js';
import { getOrderTotals, listOrders, ordersView, orderTotals } from '../../actors/projections/index.js';
import { createAggregateRegistry } from '../../src/aggregate/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import { type ProjectionWorker, projectionStatus, runProjectionWorker } from '../../src/projections/index.js';
import { aggregateStateAt, eventFeed } from '../../src/queries/index.js';
import { snapshotAggregate } from '../../src/snapshots/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { appendOrders, foldOrdersView } from './support/orderHistories.js';

describe('queries for the HTTP API', () => {
  let db: TestDatabase;
  let store: EventStore;
  let worker: ProjectionWorker;
  const registry = createAggregateRegistry(aggregates);
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    await appendOrders(
      store,
      Array.from({ length: 40 }, (_, i) => i),
    );
    worker = await runProjectionWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      projections: [ordersView, orderTotals],
      settings: fastSettings('queries'),
    });
    await waitFor(async () =>
      (await projectionStatus(db.orm.em.getKnex(), domainEventSchemas, [ordersView, orderTotals])).every(
        (p) => p.lag.events === 0,
      ),
    );
  });
  afterAll(async () => {
    await worker.stop();
    await db.drop();
  });

  it('lists orders, 10 by default, newest first, with paging and status filters', async () => {
    const knex = db.orm.em.getKnex();
    const all = await foldOrdersView(knex);
    const page = await listOrders(knex, {});
    if (page.status !== 'ok') throw new Error(page.status);
    expect(page.data).toMatchObject({ total: all.length, limit: 10, offset: 0 });
    expect(page.data.orders).toHaveLength(10);
    const paid = await listOrders(knex, { paymentStatus: 'PAID', limit: '100', offset: '0' });
    if (paid.status !== 'ok') throw new Error(paid.status);
    expect(paid.data.orders.map((o) => o.orderId).sort()).toEqual(
      all.filter((o) => o.payment_status === 'PAID').map((o) => o.order_id),
    );
    const beyond = await listOrders(knex, { offset: 1000 });
    expect(beyond).toMatchObject({ status: 'ok', data: { orders: [], total: all.length } });
  });

  it('refuses bad input with a message naming the field', async () => {
    const knex = db.orm.em.getKnex();
    expect(await listOrders(knex, { limit: 0 })).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'limit' }],
    });
    expect(await listOrders(knex, { limit: '101' })).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'limit' }],
    });
    expect(await listOrders(knex, { offset: '-1' })).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'offset' }],
    });
    const bad = await listOrders(knex, { shippingStatus: 'LOST', colour: 'red' });
    expect(bad.status).toBe('invalid');
    if (bad.status === 'invalid') expect(bad.message).toMatch(/shippingStatus.*|colour/);
  });

  it('gives totals per shipping status that add up, each currency on its own', async () => {
    const totals = await getOrderTotals(db.orm.em.getKnex());
    if (totals.status !== 'ok') throw new Error(totals.status);
    const all = await foldOrdersView(db.orm.em.getKnex());
    const sumIn = (currency: string, orders = all) =>
      orders.filter((o) => o.currency === currency).reduce((sum, o) => sum + o.total_price, 0);
    expect(totals.data.totalOrders).toBe(all.length);
    expect(Object.keys(totals.data.totalAmounts)).toEqual(['EUR', 'GBP', 'USD']);
    for (const currency of ['EUR', 'GBP', 'USD'])
      expect(totals.data.totalAmounts[currency]).toBeCloseTo(sumIn(currency), 6);
    const delivered = all.filter((o) => o.shipping_status === 'DELIVERED');
    expect(totals.data.byShippingStatus.DELIVERED.orders).toBe(delivered.length);
    for (const [currency, amount] of Object.entries(totals.data.byShippingStatus.DELIVERED.amounts))
      expect(amount).toBeCloseTo(sumIn(currency, delivered), 6);
  });

  it('pages through the global feed in commit-safe order: every event once', async () => {
    const knex = db.orm.em.getKnex();
    const seen: string[] = [];
    let after = 0;
    for (;;) {
      const page = await eventFeed(knex, domainEventSchemas, { after: String(after), limit: '7' });
      if (page.status !== 'ok') throw new Error(page.status);
      seen.push(...page.data.events.map((e) => e.eventId));
      if (page.data.events.length === 0) break;
      after = page.data.next;
    }
    const [count] = await knex
      .raw<{ rows: { n: string }[] }>('select count(*) as n from es_events')
      .then((r) => r.rows);
    expect(seen).toHaveLength(Number(count?.n));
    expect(new Set(seen).size).toBe(seen.length);
    const placed = await eventFeed(knex, domainEventSchemas, {
      type: 'OrderPlaced',
      aggregateType: 'order',
      limit: 100,
    });
    expect(placed.status === 'ok' && placed.data.events.every((e) => e.type === 'OrderPlaced')).toBe(true);
    expect(await eventFeed(knex, domainEventSchemas, { after: 999_999 })).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'after' }],
    });
    expect(await eventFeed(knex, domainEventSchemas, { limit: 5000 })).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'limit' }],
    });
  });

  it('travels in time: the state of an aggregate at a version', async () => {
    const [long] = await db.orm.em
      .getKnex()
      .raw<{ rows: { stream_id: string; version: number }[] }>(
        `select stream_id, version from es_streams where stream_type = 'order' and version >= 3 limit 1`,
      )
      .then((result) => result.rows);
    if (!long) throw new Error('no order with three events');
    const { stream_id: id, version: head } = long;
    const first = await aggregateStateAt(store, registry, {
      aggregateType: 'order',
      aggregateId: id,
      version: '1',
    });
    expect(first).toMatchObject({
      status: 'ok',
      data: { version: 1, headVersion: head, fromSnapshot: false },
    });
    if (first.status === 'ok')
      expect((first.data.context as { paymentStatus: string }).paymentStatus).toBe('PENDING');

    await snapshotAggregate(store, order, id);
    const now = await aggregateStateAt(store, registry, { aggregateType: 'order', aggregateId: id });
    expect(now).toMatchObject({ status: 'ok', data: { version: head, fromSnapshot: true } });
    const past = await aggregateStateAt(store, registry, {
      aggregateType: 'order',
      aggregateId: id,
      version: 1,
    });
    expect(past).toEqual(first);

    expect(
      await aggregateStateAt(store, registry, { aggregateType: 'order', aggregateId: id, version: head + 1 }),
    ).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'version' }],
    });
    expect(
      await aggregateStateAt(store, registry, { aggregateType: 'order', aggregateId: 'nobody' }),
    ).toMatchObject({
      status: 'not-found',
    });
    expect(
      await aggregateStateAt(store, registry, { aggregateType: 'ghost', aggregateId: id }),
    ).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'aggregateType' }],
    });
  });
});
