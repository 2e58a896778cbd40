/**
 * Projection catch-up throughput: orders_view over 100,000 events with 1 and 4 partitions, and
 * order_totals, beside baselines from the same run and database: the ceiling, a plain
 * `insert … select` copying the same event rows into a table like es_events (what the database
 * writes per second at best), a plain keyset `select` scan of the same rows, and the commit-safe
 * subscription read alone (no handler, no checkpoint). Each figure is the median of RUNS runs.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { domainEventSchemas } from '../actors/index.js';
import { ordersView, orderTotals } from '../actors/projections/index.js';
import { createOrm } from '../src/db/index.js';
import { query, readEventBatch, startOfStream, wholeStream } from '../src/eventStore/index.js';
import { type Projection, projectionSubscription, resetProjection } from '../src/projections/index.js';
import { benchEnvironment } from './benchEnvironment.js';
import { benchSettings, type Figures, figures, timeCatchUp } from './catchUp.js';
import { medianRun, ratio } from './stats.js';

const EVENTS = Number(process.env.BENCH_PROJECTION_EVENTS ?? 100_000);
// catch-up reads big batches: per batch, a read, a lock, one write and a checkpoint move
const BATCH = Number(process.env.BENCH_PROJECTION_BATCH ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const lifecycle = [
  ['OrderPaymentInitiated', {}],
  ['OrderPaid', {}],
  ['OrderShippingStatusUpdated', { status: 'IN_TRANSIT' }],
  ['OrderShippingStatusUpdated', { status: 'DELIVERED' }],
] as const;

/** Orders of five events each, written in transactions of 1,000 orders (as fast as SQL allows). */
export const seed = async (knex: Knex, events: number): Promise<number> => {
  const orders = Math.ceil(events / 5);
  for (let from = 0; from < orders; from += 1_000) {
    const rows: { stream_id: string; version: number; type: string; data: unknown }[] = [];
    for (let n = from; n < Math.min(orders, from + 1_000); n++) {
      const placed = { customerId: `c-${n % 97}`, productId: 'p', vendorId: 'v', quantity: 1 + (n % 3) };
      const data = {
        ...placed,
        totalPrice: 10 + (n % 50),
        paymentMethod: 'CARD',
        placedAt: '2026-01-01T00:00:00Z',
      };
      rows.push({ stream_id: `o-${n}`, version: 1, type: 'OrderPlaced', data });
      for (const [i, [type, body]] of lifecycle.entries()) {
        rows.push({ stream_id: `o-${n}`, version: i + 2, type, data: body });
      }
    }
    await knex.transaction((tx) =>
      query(
        tx,
        `insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
         select 'order', e.stream_id, e.version, gen_random_uuid(), e.type, e.data, '{}'::jsonb
         from jsonb_to_recordset(?::jsonb) as e(stream_id text, version int, type text, data jsonb)`,
        [JSON.stringify(rows)],
      ),
    );
  }
  return orders * 5;
};

const selectScan = async (knex: Knex, total: number): Promise<Figures> => {
  const started = performance.now();
  let after = 0;
  for (let read = 0; read < total; ) {
    const rows = await query<{ global_position: string }>(
      knex,
      'select * from es_events where global_position > ? order by global_position limit ?',
      [after, BATCH],
    );
    if (rows.length === 0) break;
    read += rows.length;
    after = Number(rows.at(-1)?.global_position);
  }
  return figures(total, started);
};

/** The ceiling: the same rows written by the database alone, in one `insert … select`. */
const insertSelect = async (knex: Knex, total: number): Promise<Figures> => {
  await query(knex, 'create table bench_events_copy (like es_events including all)');
  try {
    const started = performance.now();
    await query(knex, 'insert into bench_events_copy overriding system value select * from es_events');
    return figures(total, started);
  } finally {
    await query(knex, 'drop table bench_events_copy');
  }
};

const subscriptionRead = async (knex: Knex, total: number): Promise<Figures> => {
  const started = performance.now();
  let after = startOfStream;
  for (let full = true; full; ) {
    const batch = await readEventBatch(knex, domainEventSchemas, {
      after,
      filter: {},
      partition: wholeStream,
      limit: BATCH,
    });
    after = batch.next;
    full = batch.full;
  }
  return figures(total, started);
};

/** From an empty read model to caught up, with `partitions` runners in one host. */
const catchUp = async (knex: Knex, projection: Projection, total: number): Promise<Figures> => {
  await resetProjection(knex, projection);
  return timeCatchUp(knex, projectionSubscription(projection), total, benchSettings('bench', BATCH));
};

export const benchProjections = async () => {
  const env = await benchEnvironment('projections');
  const orm = await createOrm(env.databaseUrl, { poolSize: 8 });
  const knex = orm.em.getKnex();
  try {
    const total = await seed(knex, EVENTS);
    await query(knex, 'vacuum analyze es_events');
    const ceilingInsertSelect = await medianRun(RUNS, () => insertSelect(knex, total));
    const baselineSelectScan = await medianRun(RUNS, () => selectScan(knex, total));
    const subscriptionReadOnly = await medianRun(RUNS, () => subscriptionRead(knex, total));
    const onePartition = await medianRun(RUNS, () => catchUp(knex, { ...ordersView, partitions: 1 }, total));
    const fourPartitions = await medianRun(RUNS, () =>
      catchUp(knex, { ...ordersView, partitions: 4 }, total),
    );
    // order_totals sees only the events that move an order between buckets: 4 of each order's 5
    const totalsEvents = (total / 5) * 4;
    const orderTotalsCatchUp = await medianRun(RUNS, () => catchUp(knex, orderTotals, totalsEvents));
    return {
      projection: 'orders_view',
      batchSize: BATCH,
      ceilingInsertSelect,
      baselineSelectScan,
      subscriptionReadOnly,
      onePartition,
      fourPartitions,
      orderTotals: orderTotalsCatchUp,
      fourPartitionsVsInsertSelect: ratio(fourPartitions.perSecond, ceilingInsertSelect.perSecond),
      onePartitionVsInsertSelect: ratio(onePartition.perSecond, ceilingInsertSelect.perSecond),
      orderTotalsVsInsertSelect: ratio(orderTotalsCatchUp.perSecond, ceilingInsertSelect.perSecond),
      fourVsOnePartition: ratio(fourPartitions.perSecond, onePartition.perSecond),
    };
  } finally {
    await orm.close(true);
    await env.drop();
  }
};
