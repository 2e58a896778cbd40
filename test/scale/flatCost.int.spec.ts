import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { listOrders } from '../../actors/projections/orderQueries.js';
import { buildScaleStore, eventsOf, type ScaleShape } from '../../bench/scaleStore.js';
import {
  findCheckpointAtTime,
  LAG_WINDOW,
  readEventBatch,
  readEventTypeCounts,
  readLag,
  readStreamCounts,
  startOfStream,
  streamsDueForSnapshot,
  streamVersionAt,
  wholeStream,
  writeSnapshot,
} from '../../src/eventStore/index.js';
import { subscriptionStatus } from '../../src/projections/index.js';
import { rowsRead } from '../support/rowsRead.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/*
 * Each read and status is asked of a store with a history (thousands of streams, a long stream)
 * and must read a number of rows set by what it answers, never by the history: the rows
 * PostgreSQL read for it are counted (rowsRead), no time is measured.
 */
const shape: ScaleShape = { orders: 3_000, longStreams: 1, longLength: 6_000 };
const longStream = { streamType: 'product', streamId: '' };

let db: TestDatabase;
const knex = () => db.orm.em.getKnex();

beforeAll(async () => {
  db = await createTestDatabase();
  await buildScaleStore(db.url, shape);
  const [row] = (
    await knex().raw<{ rows: { stream_id: string }[] }>(
      "select stream_id from es_streams where stream_type = 'product'",
    )
  ).rows;
  longStream.streamId = row?.stream_id ?? '';
});
afterAll(async () => {
  await db?.drop();
});

describe('reads whose cost does not grow with the store', () => {
  it('given 3,000 orders, when a page of ten orders is listed (then the next one), reads about the page, and the total comes from the counters', async () => {
    const first = await rowsRead(knex(), ['orders_view', 'orders_view_counts'], (tx) =>
      listOrders(tx, { limit: 10 }),
    );
    expect(first.result.status).toBe('ok');
    if (first.result.status !== 'ok') return;
    expect(first.result.data.total).toBe(3_000);
    expect(first.result.data.orders).toHaveLength(10);
    expect(first.rows).toBeLessThan(100);
    const second = await rowsRead(knex(), ['orders_view', 'orders_view_counts'], (tx) =>
      listOrders(tx, { limit: 10, after: first.result.status === 'ok' ? first.result.data.next : undefined }),
    );
    expect(second.rows).toBeLessThan(100);
    if (second.result.status !== 'ok') throw new Error('second page failed');
    const firstIds = new Set(first.result.data.orders.map((order) => order.orderId));
    expect(second.result.data.orders.some((order) => firstIds.has(order.orderId))).toBe(false);
    // and a page half-way down costs a page too: the cursor is where the index walk starts
    const middle = await listOrders(knex(), { limit: 10, offset: 1_500 });
    const deep = await rowsRead(knex(), ['orders_view', 'orders_view_counts'], (tx) =>
      listOrders(tx, { limit: 10, after: middle.status === 'ok' ? middle.data.next : undefined }),
    );
    expect(deep.result.status === 'ok' && deep.result.data.orders).toHaveLength(10);
    expect(deep.rows).toBeLessThan(100);
    expect(
      (second.result.data.orders[0]?.createdAt ?? '') <= (first.result.data.orders.at(-1)?.createdAt ?? ''),
    ).toBe(true);
  });

  it('when the streams and events per type are read, counts them without reading every stream head', async () => {
    const { result, rows } = await rowsRead(knex(), ['es_streams', 'es_events', 'es_stream_counts'], (tx) =>
      readStreamCounts(tx),
    );
    expect(result).toEqual([
      { streamType: 'order', streams: 3_000, events: 15_000 },
      { streamType: 'product', streams: 1, events: 6_000 },
    ]);
    expect(rows).toBeLessThan(100);
  });

  it('when the events per type are read, counts them from the maintained counters, not es_events', async () => {
    const { result, rows } = await rowsRead(knex(), ['es_events', 'es_event_type_counts'], (tx) =>
      readEventTypeCounts(tx),
    );
    const total = Object.values(result).reduce((sum, events) => sum + events, 0);
    expect(total).toBe(21_000);
    expect(result.OrderPlaced).toBe(3_000);
    expect(rows).toBeLessThan(100);
  });

  it('when the feed is asked to start at a time in the middle of the history, finds where in a few index entries', async () => {
    const middle = new Date(Date.parse('2026-01-01T00:00:00Z') + 3_000 * 100).toISOString();
    const { result, rows } = await rowsRead(knex(), ['es_events'], (tx) => findCheckpointAtTime(tx, middle));
    expect(result.globalPosition).toBeGreaterThan(0);
    expect(rows).toBeLessThan(20);
  });

  it('given no stream due for a snapshot, finds none without reading every head', async () => {
    await writeSnapshot(knex(), {
      ...longStream,
      version: shape.longLength,
      machineHash: 'h',
      state: { value: 'active', context: {} },
    });
    const policy = { machineHash: 'h', snapshotEvery: 100, limit: 500 };
    const orders = await rowsRead(knex(), ['es_streams', 'es_snapshots'], (tx) =>
      streamsDueForSnapshot(tx, { ...policy, streamType: 'order' }),
    );
    const products = await rowsRead(knex(), ['es_streams', 'es_snapshots'], (tx) =>
      streamsDueForSnapshot(tx, { ...policy, streamType: 'product' }),
    );
    expect(orders.result).toEqual([]);
    expect(products.result).toEqual([]);
    expect(orders.rows + products.rows).toBeLessThan(20);
    // and the due ones are still found: under another machine the long stream counts as unsnapshotted
    const changed = await streamsDueForSnapshot(knex(), {
      ...policy,
      machineHash: 'h2',
      streamType: 'product',
    });
    expect(changed).toEqual([longStream.streamId]);
  });

  it('when the state of a long stream is asked at a time in its middle, finds its version in one descent', async () => {
    const middle = new Date(Date.parse('2026-01-01T00:00:00Z') + 3_000 * 100);
    const { result, rows } = await rowsRead(knex(), ['es_events'], (tx) =>
      streamVersionAt(tx, longStream, middle),
    );
    expect(result).toBe(3_000);
    expect(rows).toBeLessThan(10);
  });

  it('when the feed is read seven times for a type with no events (past where a prepared statement turns generic), reads almost nothing', async () => {
    const { result, rows } = await rowsRead(knex(), ['es_events'], async (tx) => {
      let last = 0;
      for (let read = 0; read < 7; read++)
        last = (
          await readEventBatch(tx, domainEventSchemas, {
            after: startOfStream,
            filter: { eventTypes: ['OrderCancelled'] },
            partition: wholeStream,
            limit: 100,
          })
        ).events.length;
      return last;
    });
    expect(result).toBe(0);
    expect(rows).toBeLessThan(50);
  });

  it('when the feed is read for a common type from past half the store, reads about the page', async () => {
    const [from] = (
      await knex().raw<{ rows: { transaction_id: string; global_position: string }[] }>(
        'select transaction_id::text, global_position from es_events order by transaction_id, global_position offset ? limit 1',
        [Math.floor(eventsOf(shape) * 0.5)],
      )
    ).rows;
    const after = {
      transactionId: from?.transaction_id ?? '0',
      globalPosition: Number(from?.global_position),
    };
    const { result, rows } = await rowsRead(knex(), ['es_events'], async (tx) => {
      let last = 0;
      for (let read = 0; read < 7; read++)
        last = (
          await readEventBatch(tx, domainEventSchemas, {
            after,
            filter: { eventTypes: ['OrderPaid'] },
            partition: wholeStream,
            limit: 100,
          })
        ).events.length;
      return last;
    });
    expect(result).toBe(100);
    expect(rows).toBeLessThan(7 * 150);
  });

  it('given a subscription at the start of the store, estimates its lag from a window of LAG_WINDOW events, close to the true count', async () => {
    const filter = { eventTypes: ['OrderPaid'] };
    const partition = { index: 1, count: 4 };
    const { result, rows } = await rowsRead(knex(), ['es_events'], (tx) =>
      readLag(tx, domainEventSchemas, { after: startOfStream, filter, partition }),
    );
    const [exact] = (
      await knex().raw<{ rows: { n: string }[] }>(
        "select count(*) as n from es_events where type = 'OrderPaid' and abs(hashtextextended(stream_id, 0) % 4) = 1",
      )
    ).rows;
    expect(eventsOf(shape)).toBeGreaterThan(2 * LAG_WINDOW);
    expect(result.estimated).toBe(true);
    expect(Math.abs(result.events - Number(exact?.n)) / Number(exact?.n)).toBeLessThan(0.3);
    expect(rows).toBeLessThan(LAG_WINDOW + 50);
  });

  it('given a subscription past the window, counts its lag exactly', async () => {
    const [from] = (
      await knex().raw<{ rows: { transaction_id: string; global_position: string }[] }>(
        'select transaction_id::text, global_position from es_events order by transaction_id desc, global_position desc offset 1000 limit 1',
      )
    ).rows;
    const after = {
      transactionId: from?.transaction_id ?? '0',
      globalPosition: Number(from?.global_position),
    };
    const lag = await readLag(knex(), domainEventSchemas, { after, filter: {}, partition: wholeStream });
    expect(lag).toMatchObject({ events: 1_000, estimated: false });
  });

  it('given an optional subscription that never ran (an outbox with no broker), lists it as not started, behind nothing', async () => {
    const statuses = await subscriptionStatus(knex(), domainEventSchemas, 'never-ran', {}, 2, {
      optional: true,
    });
    expect(statuses.map((status) => [status.state, status.lag.events])).toEqual([
      ['not-started', 0],
      ['not-started', 0],
    ]);
  });
});
