import type { Knex } from '@mikro-orm/postgresql';
import { defineProjection } from 'chronicle-runtime';
import type { ShippingStatus } from '../order/index.js';
import type { orderEventTypes, RecordedOrderEvent } from './orderEvents.js';
import { orderTotalsQuery } from './orderQueries.js';
import { query } from './sql.js';
import { streamRuns } from './streamRuns.js';

const bucketEvents = [
  'OrderPlaced',
  'OrderPaid',
  'OrderShippingStatusUpdated',
  'OrderCancelled',
] as const satisfies readonly (typeof orderEventTypes)[number][];

type BucketEvent = Extract<RecordedOrderEvent, { type: (typeof bucketEvents)[number] }>;

/** An order's bucket: its shipping status and currency, and the amount it adds to that bucket. */
type Bucket = { readonly status: ShippingStatus; readonly currency: string; readonly amount: number };

/** The bucket after `event`, as the order machine moves shipping (the events passed its rules). */
const nextBucket = (orderId: string, bucket: Bucket | undefined, event: BucketEvent): Bucket => {
  if (event.type === 'OrderPlaced') {
    if (bucket) throw new Error(`order_totals already has order ${orderId}; it is placed again`);
    return { status: 'WAITING_FOR_PAYMENT', currency: event.data.currency, amount: event.data.totalPrice };
  }
  if (!bucket)
    throw new Error(`order_totals has no order ${orderId} to move (${event.type} v${event.version})`);
  switch (event.type) {
    case 'OrderPaid':
      return bucket.status === 'WAITING_FOR_PAYMENT' ? { ...bucket, status: 'WAITING_FOR_SHIPMENT' } : bucket;
    case 'OrderShippingStatusUpdated':
      return { ...bucket, status: event.data.status };
    case 'OrderCancelled':
      return { ...bucket, status: 'CANCELLED' };
    default:
      return event satisfies never;
  }
};

/**
 * One statement for the whole batch: store each moved order's bucket, and add the moves up per
 * bucket (shipping status and currency: amounts in different currencies never add up) in SQL
 * (numeric, exact). A bucket without a row gets one, unless it would go negative: the check on
 * `orders` refuses that, so an impossible move stops the partition.
 */
const write = `
  with moves as (
    select * from jsonb_to_recordset(?::jsonb)
      as m(order_id text, from_status text, to_status text, currency text, amount numeric)
  ), orders as (
    insert into order_totals_orders (order_id, shipping_status, currency, amount)
    select order_id, to_status, currency, amount from moves
    on conflict (order_id) do update set shipping_status = excluded.shipping_status
  ), deltas as (
    select status, currency, sum(orders) as orders, sum(amount) as amount from (
      select to_status as status, currency, 1 as orders, amount from moves
      union all
      select from_status, currency, -1, -amount from moves where from_status is not null
    ) as each_move group by status, currency
  ), moved as (
    update order_totals t set orders = t.orders + d.orders, amount = t.amount + d.amount
    from deltas d where t.shipping_status = d.status and t.currency = d.currency
    returning t.shipping_status, t.currency
  )
  insert into order_totals (shipping_status, currency, orders, amount)
  select status, currency, orders, amount from deltas d
  where not exists (select 1 from moved m where m.shipping_status = d.status and m.currency = d.currency)`;

const handleBatch = async (events: readonly BucketEvent[], tx: Knex.Transaction) => {
  const runs = streamRuns(events);
  const known = [...runs].filter(([, [first]]) => first.type !== 'OrderPlaced').map(([orderId]) => orderId);
  const stored = new Map<string, Bucket>();
  if (known.length > 0) {
    const rows = await query<{
      order_id: string;
      shipping_status: ShippingStatus;
      currency: string;
      amount: string;
    }>(
      tx,
      'select order_id, shipping_status, currency, amount from order_totals_orders where order_id = any(?)',
      [known],
    );
    for (const row of rows)
      stored.set(row.order_id, {
        status: row.shipping_status,
        currency: row.currency,
        amount: Number(row.amount),
      });
  }
  const moves: {
    order_id: string;
    from_status: string | null;
    to_status: string;
    currency: string;
    amount: number;
  }[] = [];
  for (const [orderId, run] of runs) {
    const before = stored.get(orderId);
    const after = run.reduce<Bucket | undefined>(
      (bucket, event) => nextBucket(orderId, bucket, event),
      before,
    );
    if (!after || after.status === before?.status) continue;
    // the amount is the one OrderPlaced carried (from the event, or as stored), exact in SQL
    moves.push({
      order_id: orderId,
      from_status: before?.status ?? null,
      to_status: after.status,
      currency: after.currency,
      amount: after.amount,
    });
  }
  if (moves.length > 0) await query(tx, write, [JSON.stringify(moves)]);
};

/**
 * Orders and their amounts per shipping status and currency (the totals are the sums). Each order's bucket is
 * kept in order_totals_orders, so a batch moves orders between buckets from what it stores, with
 * no read of the event store. Counters are not idempotent: they rely on the checkpoint committing
 * with them (exactly once). One partition: every batch touches the same few rows.
 */
export const orderTotals = defineProjection<RecordedOrderEvent>({
  name: 'order_totals',
  // only the events that move an order between shipping buckets (payment attempts never do)
  events: bucketEvents,
  tables: ['order_totals', 'order_totals_orders'],
  handleBatch: (events, tx) => handleBatch(events as readonly BucketEvent[], tx),
  queries: [orderTotalsQuery],
  reset: async (tx) => {
    await tx.raw('delete from order_totals');
    await tx.raw('delete from order_totals_orders');
  },
});
