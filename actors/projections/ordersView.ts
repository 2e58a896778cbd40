import type { Knex } from '@mikro-orm/postgresql';
import { defineProjection } from 'chronicle';
import { orderEventTypes, type RecordedOrderEvent } from './orderEvents.js';

/** Column changes an event makes to its order's row; SQL expressions may read the row as it is. */
type RowChange = { readonly set: string; readonly params: readonly unknown[] };

const changeOf = (event: Exclude<RecordedOrderEvent, { type: 'OrderPlaced' }>): RowChange => {
  switch (event.type) {
    case 'OrderPaymentInitiated':
      return { set: `payment_status = 'PENDING'`, params: [] };
    case 'OrderPaid':
      // as the machine does: shipping stops waiting for payment once paid
      return {
        set: `payment_status = 'PAID', shipping_status = case when shipping_status = 'WAITING_FOR_PAYMENT'
              then 'WAITING_FOR_SHIPMENT' else shipping_status end`,
        params: [],
      };
    case 'OrderPaymentFailed':
      return { set: `payment_status = 'FAILED'`, params: [] };
    case 'OrderShippingStatusUpdated':
      return { set: 'shipping_status = ?', params: [event.data.status] };
    case 'OrderCancelled':
      return { set: `shipping_status = 'CANCELLED'`, params: [] };
    default:
      return event satisfies never;
  }
};

const place = async (event: Extract<RecordedOrderEvent, { type: 'OrderPlaced' }>, tx: Knex.Transaction) => {
  const { data } = event;
  await tx.raw(
    `insert into orders_view (order_id, customer_id, payment_status, shipping_status, total_price, quantity,
       created_at, updated_at, version)
     values (?, ?, 'PENDING', 'WAITING_FOR_PAYMENT', ?, ?, ?, ?, ?)`,
    [
      event.streamId,
      data.customerId,
      data.totalPrice,
      data.quantity,
      event.recordedAt,
      event.recordedAt,
      event.version,
    ],
  );
};

const update = async (event: Exclude<RecordedOrderEvent, { type: 'OrderPlaced' }>, tx: Knex.Transaction) => {
  const { set, params } = changeOf(event);
  // the row must stand at the version just before: every order event comes here, once, in order
  const updated = await tx.raw<{ rowCount: number }>(
    `update orders_view set ${set}, updated_at = ?, version = ? where order_id = ? and version = ?`,
    [...params, event.recordedAt, event.version, event.streamId, event.version - 1] as Knex.RawBinding[],
  );
  if (updated.rowCount > 0) return;
  const found = await tx.raw<{ rows: { version: number }[] }>(
    'select version from orders_view where order_id = ?',
    [event.streamId],
  );
  const version = found.rows[0]?.version;
  // never a silent skip (nor a silent double): a gap or a repeat stops the partition, visibly
  throw new Error(
    version === undefined
      ? `orders_view has no order ${event.streamId} to apply ${event.type} (v${event.version}) to`
      : `orders_view has order ${event.streamId} at v${version}; ${event.type} is v${event.version}`,
  );
};

/** One row per order: its payment and shipping status, what it costs, when it changed. */
export const ordersView = defineProjection<RecordedOrderEvent>({
  name: 'orders_view',
  events: orderEventTypes,
  partitions: 4,
  tables: ['orders_view'],
  handle: (event, tx) => (event.type === 'OrderPlaced' ? place(event, tx) : update(event, tx)),
  reset: async (tx) => {
    await tx.raw('truncate orders_view');
  },
});
