import type { Knex } from '@mikro-orm/postgresql';
import { order } from '../../../actors/order/index.js';
import { AggregateInstance } from '../../../src/aggregate/index.js';
import type { EventStore } from '../../../src/eventStore/index.js';
import { query } from '../../../src/eventStore/index.js';
import type { DomainEvent, RecordedEvent } from '../../../src/messages/index.js';

const candidates: readonly DomainEvent[] = [
  { type: 'OrderPaymentInitiated', data: {} },
  { type: 'OrderPaid', data: {} },
  { type: 'OrderPaymentFailed', data: { reason: 'card declined' } },
  { type: 'OrderShippingStatusUpdated', data: { status: 'IN_TRANSIT' } },
  { type: 'OrderShippingStatusUpdated', data: { status: 'DELIVERED' } },
  { type: 'OrderCancelled', data: { reason: 'changed my mind' } },
];

/** A random history the order machine accepts: placed, then up to `maxSteps` valid events. */
export const orderHistory = (n: number, random: () => number = Math.random, maxSteps = 7): DomainEvent[] => {
  const placed: DomainEvent = {
    type: 'OrderPlaced',
    data: {
      customerId: `customer-${n % 7}`,
      productId: `product-${n % 5}`,
      vendorId: 'vendor-1',
      quantity: 1 + (n % 4),
      totalPrice: 10 * (1 + (n % 9)) + 0.25,
      paymentMethod: 'CARD',
      // three currencies, so totals that add across them show
      currency: ['EUR', 'USD', 'GBP'][n % 3],
      placedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    },
  };
  const actor = AggregateInstance.hydrate(order, `o-${n}`, undefined, [{ ...placed, version: 1 }]);
  const events = [placed];
  for (let step = 0; step < maxSteps && random() > 0.12; step++) {
    const accepted = candidates.filter((event) => actor.snapshot.can(event as never));
    const next = accepted[Math.floor(random() * accepted.length)];
    if (!next) break;
    events.push(next);
    actor.apply([{ ...next, version: events.length }]);
  }
  return events;
};

/** The order numbers `from`, `from + 1`, … (`count` of them): what `appendOrders` takes. */
export const orderIds = (from: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => from + i);

const metadata = (commandId: string) => ({ commandId, correlationId: commandId, causationId: commandId });

/** Appends order histories, each in one or two appends, `concurrency` orders at a time. */
export const appendOrders = async (
  store: EventStore,
  ids: readonly number[],
  { concurrency = 8, prefix = 'o' } = {},
): Promise<number> => {
  let events = 0;
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const history = orderHistory(n);
        const cut = Math.max(1, Math.floor(history.length / 2));
        const chunks = [history.slice(0, cut), history.slice(cut)].filter((chunk) => chunk.length > 0);
        let version = 0;
        for (const [i, chunk] of chunks.entries()) {
          const commandId = `${prefix}-${n}-${i}`;
          await store.append({
            streamType: 'order',
            streamId: `${prefix}-${n}`,
            expectedVersion: version,
            events: chunk,
            metadata: metadata(commandId),
            command: { commandId, type: 'Test' },
          });
          version += chunk.length;
        }
        events += history.length;
      }
    }),
  );
  return events;
};

export type ExpectedOrder = {
  order_id: string;
  customer_id: string;
  payment_status: string;
  shipping_status: string;
  total_price: number;
  currency: string;
  quantity: number;
  created_at: string;
  updated_at: string;
  version: number;
};

const byStream = async (knex: Knex) => {
  const rows = await query<{
    stream_id: string;
    version: number;
    type: string;
    data: unknown;
    recorded_at: Date;
  }>(
    knex,
    `select stream_id, version, type, data, recorded_at from es_events where stream_type = 'order' order by stream_id, version`,
  );
  const streams = new Map<string, typeof rows>();
  for (const row of rows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row]);
  return streams;
};

/** orders_view as a fold of the event store with the order machine itself, sorted by order id. */
export const foldOrdersView = async (knex: Knex): Promise<ExpectedOrder[]> => {
  const expected: ExpectedOrder[] = [];
  for (const [id, events] of await byStream(knex)) {
    const actor = AggregateInstance.hydrate(order, id, undefined, events as unknown as RecordedEvent[]);
    const context = actor.state.context as import('../../../actors/order/index.js').OrderContext;
    const first = events[0];
    const last = events.at(-1);
    if (!context.details || !first || !last) continue;
    expected.push({
      order_id: id,
      customer_id: context.details.customerId,
      payment_status: context.paymentStatus ?? '',
      shipping_status: context.shippingStatus ?? '',
      total_price: context.details.totalPrice,
      currency: context.details.currency,
      quantity: context.details.quantity,
      created_at: new Date(first.recorded_at).toISOString(),
      updated_at: new Date(last.recorded_at).toISOString(),
      version: last.version,
    });
  }
  return expected.sort((a, b) => a.order_id.localeCompare(b.order_id));
};

/** orders_view as stored, in the same shape. */
export const readOrdersView = async (knex: Knex): Promise<ExpectedOrder[]> => {
  const rows = await query<ExpectedOrder & { total_price: string; created_at: Date; updated_at: Date }>(
    knex,
    'select * from orders_view',
  );
  return rows
    .map((row) => ({
      ...row,
      total_price: Number(row.total_price),
      created_at: new Date(row.created_at).toISOString(),
      updated_at: new Date(row.updated_at).toISOString(),
    }))
    .sort((a, b) => a.order_id.localeCompare(b.order_id));
};

/** order_totals as a fold: orders and amount per shipping status and currency ("PAID/EUR"). */
export const foldOrderTotals = async (knex: Knex) => {
  const totals: Record<string, { orders: number; amount: number }> = {};
  for (const row of await foldOrdersView(knex)) {
    const key = `${row.shipping_status}/${row.currency}`;
    const bucket = totals[key] ?? { orders: 0, amount: 0 };
    totals[key] = {
      orders: bucket.orders + 1,
      amount: Math.round((bucket.amount + row.total_price) * 100) / 100,
    };
  }
  return totals;
};

export const readOrderTotals = async (knex: Knex) => {
  const rows = await query<{ shipping_status: string; currency: string; orders: string; amount: string }>(
    knex,
    'select * from order_totals where orders <> 0 order by shipping_status, currency',
  );
  return Object.fromEntries(
    rows.map((row) => [
      `${row.shipping_status}/${row.currency}`,
      { orders: Number(row.orders), amount: Number(row.amount) },
    ]),
  );
};

/** Both read models as stored: compare with `foldOrderModels`. */
export const readOrderModels = async (knex: Knex) => ({
  view: await readOrdersView(knex),
  totals: await readOrderTotals(knex),
});

/** Both read models as a fold of the event store with the order machine. */
export const foldOrderModels = async (knex: Knex) => ({
  view: await foldOrdersView(knex),
  totals: await foldOrderTotals(knex),
});
