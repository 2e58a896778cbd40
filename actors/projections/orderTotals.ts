import type { Knex } from '@mikro-orm/postgresql';
import { AggregateActor, defineProjection, query } from 'chronicle';
import { type OrderContext, order } from '../order/index.js';
import type { orderEventTypes, RecordedOrderEvent } from './orderEvents.js';

type Bucket = { readonly status: string; readonly amount: number };

const bucketEvents = [
  'OrderPlaced',
  'OrderPaid',
  'OrderShippingStatusUpdated',
  'OrderCancelled',
] as const satisfies readonly (typeof orderEventTypes)[number][];

const bucketOf = (context: OrderContext): Bucket | undefined =>
  context.details && context.shippingStatus
    ? { status: context.shippingStatus, amount: context.details.totalPrice }
    : undefined;

const add = async (tx: Knex.Transaction, bucket: Bucket) => {
  await query(
    tx,
    `insert into order_totals (shipping_status, orders, amount) values (?, 1, ?)
     on conflict (shipping_status) do update
       set orders = order_totals.orders + 1, amount = order_totals.amount + excluded.amount`,
    [bucket.status, bucket.amount],
  );
};

// an update, not an upsert: the check on `orders` would refuse the proposed -1 row before any conflict
const remove = async (tx: Knex.Transaction, bucket: Bucket) => {
  const rows = await query(
    tx,
    'update order_totals set orders = orders - 1, amount = amount - ? where shipping_status = ? returning orders',
    [bucket.amount, bucket.status],
  );
  if (rows.length === 0) throw new Error(`order_totals has no ${bucket.status} order to move`);
};

/**
 * Orders and their amount per shipping status (the totals are the sums). An event moves its order
 * from the bucket it was in to the one it is in now; both come from folding the order's stream with
 * the order machine itself, so the counts follow the domain's rules. Counters are not idempotent:
 * they rely on the checkpoint committing with them (exactly once). One partition: every event
 * touches the same few rows.
 */
export const orderTotals = defineProjection<RecordedOrderEvent>({
  name: 'order_totals',
  // only the events that move an order between shipping buckets (payment attempts never do): the
  // others would each cost a fold of the stream for nothing
  events: bucketEvents,
  tables: ['order_totals'],
  handle: async (event, tx) => {
    const prior = await query<{ version: number; type: string; data: unknown }>(
      tx,
      'select version, type, data from es_events where stream_type = ? and stream_id = ? and version < ? order by version',
      [event.streamType, event.streamId, event.version],
    );
    const actor = AggregateActor.hydrate(order, event.streamId, undefined, prior);
    try {
      const before = bucketOf(actor.state.context as OrderContext);
      actor.apply([event]);
      const after = bucketOf(actor.state.context as OrderContext);
      if (before?.status === after?.status && before?.amount === after?.amount) return;
      if (before) await remove(tx, before);
      if (after) await add(tx, after);
    } finally {
      actor.stop();
    }
  },
  reset: async (tx) => {
    await tx.raw('delete from order_totals');
  },
});
