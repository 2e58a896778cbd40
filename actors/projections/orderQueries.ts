import type { Knex } from '@mikro-orm/postgresql';
import { type ProjectionQuery, type QueryResult, withQuery } from 'chronicle-runtime';
import { z } from 'zod';
import type { PaymentStatus, ShippingStatus } from '../order/index.js';
import { query } from './sql.js';

const paymentStatuses = ['PENDING', 'PAID', 'FAILED'] as const satisfies readonly PaymentStatus[];
const shippingStatuses = [
  'WAITING_FOR_PAYMENT',
  'WAITING_FOR_SHIPMENT',
  'IN_TRANSIT',
  'DELIVERED',
  'CANCELLED',
] as const satisfies readonly ShippingStatus[];

export const ListOrdersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  offset: z.coerce.number().int().min(0).default(0),
  paymentStatus: z.enum(paymentStatuses).optional(),
  shippingStatus: z.enum(shippingStatuses).optional(),
});

export type OrderRow = {
  readonly orderId: string;
  readonly customerId: string;
  readonly paymentStatus: PaymentStatus;
  readonly shippingStatus: ShippingStatus;
  readonly totalPrice: number;
  /** ISO 4217 code of totalPrice. */
  readonly currency: string;
  readonly quantity: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
};

export type OrdersPage = {
  readonly orders: readonly OrderRow[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
};

type Row = {
  order_id: string;
  customer_id: string;
  payment_status: PaymentStatus;
  shipping_status: ShippingStatus;
  total_price: string;
  currency: string;
  quantity: number;
  created_at: Date;
  updated_at: Date;
  version: number;
  total: string;
};

/** Orders, newest first, from orders_view; `limit` 1..100 (default 10), filtered by either status. */
export const listOrders = (db: Knex, input: unknown): Promise<QueryResult<OrdersPage>> =>
  withQuery(ListOrdersQuery, input, async ({ limit, offset, paymentStatus, shippingStatus }) => {
    const rows = await query<Row>(
      db,
      `select *, count(*) over () as total from orders_view
       where (?::text is null or payment_status = ?) and (?::text is null or shipping_status = ?)
       order by created_at desc, order_id limit ? offset ?`,
      [
        paymentStatus ?? null,
        paymentStatus ?? null,
        shippingStatus ?? null,
        shippingStatus ?? null,
        limit,
        offset,
      ],
    );
    const [first] = rows;
    // past the last page there is no row to carry the count
    const total = first
      ? Number(first.total)
      : Number(
          (
            await query<{ total: string }>(
              db,
              `select count(*) as total from orders_view
               where (?::text is null or payment_status = ?) and (?::text is null or shipping_status = ?)`,
              [paymentStatus ?? null, paymentStatus ?? null, shippingStatus ?? null, shippingStatus ?? null],
            )
          )[0]?.total ?? 0,
        );
    const orders = rows.map(
      (row): OrderRow => ({
        orderId: row.order_id,
        customerId: row.customer_id,
        paymentStatus: row.payment_status,
        shippingStatus: row.shipping_status,
        totalPrice: Number(row.total_price),
        currency: row.currency,
        quantity: row.quantity,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
        version: row.version,
      }),
    );
    return { status: 'ok', data: { orders, total, limit, offset } };
  });

/** Amounts per currency (ISO 4217 code → sum): amounts in different currencies never add up. */
export type Amounts = Readonly<Record<string, number>>;

export type OrderTotals = {
  readonly totalOrders: number;
  readonly totalAmounts: Amounts;
  readonly byShippingStatus: Readonly<
    Record<ShippingStatus, { readonly orders: number; readonly amounts: Amounts }>
  >;
};

/**
 * Totals from order_totals: every status present (zero orders, no amounts when none is in it),
 * amounts per currency, each sum exact in SQL.
 */
export const getOrderTotals = async (db: Knex): Promise<QueryResult<OrderTotals>> => {
  const rows = await query<{
    shipping_status: ShippingStatus;
    currency: string;
    orders: string;
    amount: string;
    currency_total: string;
  }>(
    db,
    `select shipping_status, currency, orders, amount, sum(amount) over (partition by currency) as currency_total
     from order_totals where orders > 0 order by currency`,
  );
  const byShippingStatus = Object.fromEntries(
    shippingStatuses.map((status) => [status, { orders: 0, amounts: {} as Record<string, number> }]),
  ) as Record<ShippingStatus, { orders: number; amounts: Record<string, number> }>;
  const totalAmounts: Record<string, number> = {};
  let totalOrders = 0;
  for (const row of rows) {
    const bucket = byShippingStatus[row.shipping_status];
    bucket.orders += Number(row.orders);
    bucket.amounts[row.currency] = Number(row.amount);
    totalAmounts[row.currency] = Number(row.currency_total);
    totalOrders += Number(row.orders);
  }
  return { status: 'ok', data: { totalOrders, totalAmounts, byShippingStatus } };
};

/** `status` is either kind of status (their values differ): the `?status=` filter of GET /v1/orders. */
const OrdersQuery = ListOrdersQuery.extend({
  status: z.enum([...paymentStatuses, ...shippingStatuses]).optional(),
});
const isPaymentStatus = (status: string): status is PaymentStatus =>
  (paymentStatuses as readonly string[]).includes(status);

/** GET /v1/orders, served from orders_view. */
export const ordersQuery: ProjectionQuery = {
  path: 'orders',
  summary: 'Orders from orders_view, newest first (limit 1..100, offset, status)',
  query: OrdersQuery,
  run: (db, input) => {
    const { status, ...rest } = input as z.output<typeof OrdersQuery>;
    if (status === undefined) return listOrders(db, rest);
    return listOrders(db, {
      ...rest,
      [isPaymentStatus(status) ? 'paymentStatus' : 'shippingStatus']: status,
    });
  },
};

/** GET /v1/orders/totals, served from order_totals. */
export const orderTotalsQuery: ProjectionQuery = {
  path: 'orders/totals',
  summary: 'Orders and amounts per shipping status and currency (order_totals)',
  query: z.strictObject({}),
  run: (db) => getOrderTotals(db),
};
