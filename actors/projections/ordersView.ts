import type { Knex } from '@mikro-orm/postgresql';
import { defineProjection } from 'chronicle-runtime';
import type { PaymentStatus, ShippingStatus } from '../order/index.js';
import { orderEventTypes, type RecordedOrderEvent } from './orderEvents.js';
import { ordersQuery } from './orderQueries.js';
import { query } from './sql.js';
import { streamRuns } from './streamRuns.js';

/**
 * What a run of one order's events does to its row. `shipping` is unknown (null) when it depends on
 * the row as stored: OrderPaid moves shipping on only if it was waiting for payment.
 */
type RowChange = {
  paymentStatus: PaymentStatus | null;
  shippingStatus: ShippingStatus | null;
  paidWhileWaiting: boolean;
  updatedAt: string;
  version: number;
};

const applyEvent = (change: RowChange, event: Exclude<RecordedOrderEvent, { type: 'OrderPlaced' }>) => {
  change.updatedAt = event.recordedAt;
  change.version = event.version;
  switch (event.type) {
    case 'OrderPaymentInitiated':
      change.paymentStatus = 'PENDING';
      return;
    case 'OrderPaid':
      // as the machine does: shipping stops waiting for payment once paid
      change.paymentStatus = 'PAID';
      if (change.shippingStatus === null) change.paidWhileWaiting = true;
      else if (change.shippingStatus === 'WAITING_FOR_PAYMENT')
        change.shippingStatus = 'WAITING_FOR_SHIPMENT';
      return;
    case 'OrderPaymentFailed':
      change.paymentStatus = 'FAILED';
      return;
    case 'OrderShippingStatusUpdated':
      change.shippingStatus = event.data.status;
      change.paidWhileWaiting = false;
      return;
    case 'OrderCancelled':
      change.shippingStatus = 'CANCELLED';
      change.paidWhileWaiting = false;
      return;
    default:
      return event satisfies never;
  }
};

type Placed = Extract<RecordedOrderEvent, { type: 'OrderPlaced' }>;
type NewRow = RowChange & { orderId: string; placed: Placed['data']; createdAt: string };
type Update = RowChange & { orderId: string; fromVersion: number };

/** The batch folded per order: rows to insert (placed in this batch) and changes to stored rows. */
const fold = (events: readonly RecordedOrderEvent[]) => {
  const inserts: NewRow[] = [];
  const updates: Update[] = [];
  for (const [orderId, [first, ...rest]] of streamRuns(events)) {
    const change: RowChange =
      first.type === 'OrderPlaced'
        ? {
            paymentStatus: 'PENDING',
            shippingStatus: 'WAITING_FOR_PAYMENT',
            paidWhileWaiting: false,
            updatedAt: first.recordedAt,
            version: first.version,
          }
        : { paymentStatus: null, shippingStatus: null, paidWhileWaiting: false, updatedAt: '', version: 0 };
    if (first.type !== 'OrderPlaced') applyEvent(change, first);
    for (const event of rest) {
      if (event.type === 'OrderPlaced') throw new Error(`order ${orderId} placed again at v${event.version}`);
      applyEvent(change, event);
    }
    if (first.type === 'OrderPlaced')
      inserts.push({ ...change, orderId, placed: first.data, createdAt: first.recordedAt });
    else updates.push({ ...change, orderId, fromVersion: first.version - 1 });
  }
  return { inserts, updates };
};

/** orders_view's partitions: the counters' slots follow them (see the counts in `write`). */
const PARTITIONS = 4;

/**
 * One statement for the whole batch: insert the orders placed in it, and move every other order's
 * row on, only if it stands at the version just before (every order event comes here, once, in
 * order). Both parts read the table as it was before the statement, which is why the fold keeps
 * the two apart. The same statement moves orders_view_counts by what changed (a placed order adds
 * one to its statuses; a moved one leaves its old statuses for its new ones), in the slot of the
 * order's partition, so the counts always agree with the rows and no two partitions share a counter.
 */
const write = `
  with placed as (
    insert into orders_view (order_id, customer_id, payment_status, shipping_status, total_price, currency,
      quantity, created_at, updated_at, version)
    select r.order_id, r.customer_id, r.payment_status, r.shipping_status, r.total_price, r.currency,
      r.quantity, r.created_at, r.updated_at, r.version
    from jsonb_to_recordset(?::jsonb) as r(order_id text, customer_id text, payment_status text,
      shipping_status text, total_price numeric, currency text, quantity integer, created_at timestamptz,
      updated_at timestamptz, version integer)
    on conflict (order_id) do nothing
    returning order_id, payment_status, shipping_status
  ), moved as (
    update orders_view v set
      payment_status = coalesce(c.payment_status, v.payment_status),
      shipping_status = coalesce(c.shipping_status, case when c.paid and v.shipping_status = 'WAITING_FOR_PAYMENT'
        then 'WAITING_FOR_SHIPMENT' else v.shipping_status end),
      updated_at = c.updated_at,
      version = c.version
    from jsonb_to_recordset(?::jsonb) as c(order_id text, payment_status text, shipping_status text,
      paid boolean, updated_at timestamptz, version integer, from_version integer),
      orders_view was
    where v.order_id = c.order_id and v.version = c.from_version and was.order_id = v.order_id
    returning v.order_id, v.payment_status, v.shipping_status, was.payment_status as was_payment,
      was.shipping_status as was_shipping
  ), counted as (
    insert into orders_view_counts as k (slot, payment_status, shipping_status, orders)
    select abs(hashtextextended(d.order_id, 0) % ${PARTITIONS}), d.payment_status, d.shipping_status, sum(d.delta)
    from (
      select order_id, payment_status, shipping_status, 1 as delta from placed
      union all select order_id, payment_status, shipping_status, 1 from moved
      union all select order_id, was_payment, was_shipping, -1 from moved
    ) d
    group by 1, 2, 3 having sum(d.delta) <> 0
    order by 1, 2, 3
    on conflict (slot, payment_status, shipping_status) do update set orders = k.orders + excluded.orders
  )
  select array(select order_id from placed) as placed, array(select order_id from moved) as moved`;

/** The version of the first event of this batch for an order: 1 for a placement. */
const nextVersion = (row: NewRow | Update) => ('fromVersion' in row ? row.fromVersion + 1 : 1);

const handleBatch = async (events: readonly RecordedOrderEvent[], tx: Knex.Transaction) => {
  const { inserts, updates } = fold(events);
  const newRows = inserts.map((row) => ({
    order_id: row.orderId,
    customer_id: row.placed.customerId,
    payment_status: row.paymentStatus,
    shipping_status: row.shippingStatus,
    total_price: row.placed.totalPrice,
    currency: row.placed.currency,
    quantity: row.placed.quantity,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    version: row.version,
  }));
  const changes = updates.map((row) => ({
    order_id: row.orderId,
    payment_status: row.paymentStatus,
    shipping_status: row.shippingStatus,
    paid: row.paidWhileWaiting,
    updated_at: row.updatedAt,
    version: row.version,
    from_version: row.fromVersion,
  }));
  const [result] = await query<{ placed: string[]; moved: string[] }>(tx, write, [
    JSON.stringify(newRows),
    JSON.stringify(changes),
  ]);
  const written = new Set([...(result?.placed ?? []), ...(result?.moved ?? [])]);
  const missed = [...inserts, ...updates].find((row) => !written.has(row.orderId));
  if (!missed) return;
  const [found] = await query<{ version: number }>(tx, 'select version from orders_view where order_id = ?', [
    missed.orderId,
  ]);
  // never a silent skip (nor a silent double): a gap or a repeat stops the partition, visibly
  throw new Error(
    found === undefined
      ? `orders_view has no order ${missed.orderId} to apply v${nextVersion(missed)} to`
      : `orders_view has order ${missed.orderId} at v${found.version}; the next event is v${nextVersion(missed)}`,
  );
};

/**
 * One row per order: its payment and shipping status, what it costs, when it changed. Written per
 * batch: the batch is folded per order in memory, then written in one statement.
 */
export const ordersView = defineProjection<RecordedOrderEvent>({
  name: 'orders_view',
  events: orderEventTypes,
  partitions: PARTITIONS,
  tables: ['orders_view', 'orders_view_counts'],
  handleBatch,
  queries: [ordersQuery],
  reset: async (tx) => {
    await tx.raw('truncate orders_view, orders_view_counts');
  },
});
