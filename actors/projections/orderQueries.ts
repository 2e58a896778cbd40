import type { Knex } from '@mikro-orm/postgresql';
import { invalid, type ProjectionQuery, type QueryResult, withQuery } from 'chronicle-runtime';
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

/**
 * A page's place in the newest-first order: the last order it showed, opaque to clients. The time
 * is PostgreSQL's own text of created_at (microseconds: a JavaScript Date would round them away
 * and skip or repeat orders placed in the same millisecond).
 */
const cursorOf = (row: { created_key: string; order_id: string }) =>
  Buffer.from(JSON.stringify([row.created_key, row.order_id])).toString('base64url');

const Cursor = z.string().transform((text, ctx) => {
  try {
    const [createdAt, orderId] = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown[];
    if (
      typeof createdAt === 'string' &&
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(createdAt) &&
      typeof orderId === 'string'
    )
      return { createdAt, orderId };
  } catch {}
  ctx.addIssue({ code: 'custom', message: 'not the `next` of a page' });
  return z.NEVER;
});

export const ListOrdersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  /** The `next` of the previous page: the page after it, at the cost of the page alone. */
  after: Cursor.optional(),
  /** Rows to skip: read and thrown away, so a deep offset costs as much as every page before it. */
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
  /**
   * Orders matching the filter, from the counters the projection keeps with the rows
   * (orders_view_counts): exact for the read model as it stands, read without counting rows.
   */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
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
  created_key: string;
};

/**
 * Orders, newest first, from orders_view; `limit` 1..100 (default 10), filtered by either status,
 * paged by `after` (keyset: each page costs its own rows, however deep) or `offset`. One row more
 * than the page is read to know whether a next page exists. `created_at <= ?` is what lets the
 * index start at the cursor; the `or` alone is a filter, and a page half-way down a million
 * orders walked the half above it (386 ms).
 */
export const listOrders = (db: Knex, input: unknown): Promise<QueryResult<OrdersPage>> =>
  withQuery(ListOrdersQuery, input, async ({ limit, after, offset, paymentStatus, shippingStatus }) => {
    if (after && offset > 0) return invalid('offset', 'give `after` or `offset`, not both');
    const filter = [
      paymentStatus ?? null,
      paymentStatus ?? null,
      shippingStatus ?? null,
      shippingStatus ?? null,
    ];
    const rows = await query<Row>(
      db,
      `select *, created_at::text as created_key from orders_view
       where (?::text is null or payment_status = ?) and (?::text is null or shipping_status = ?)
         and (?::timestamptz is null or (created_at <= ? and (created_at < ? or order_id > ?)))
       order by created_at desc, order_id limit ? offset ?`,
      [
        ...filter,
        after?.createdAt ?? null,
        after?.createdAt ?? null,
        after?.createdAt ?? null,
        after?.orderId ?? null,
        limit + 1,
        offset,
      ],
    );
    const [counted] = await query<{ total: string }>(
      db,
      `select coalesce(sum(orders), 0) as total from orders_view_counts
       where (?::text is null or payment_status = ?) and (?::text is null or shipping_status = ?)`,
      filter,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const orders = page.map(
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
    const next = rows.length > limit && last ? cursorOf(last) : null;
    return { status: 'ok', data: { orders, total: Number(counted?.total ?? 0), limit, offset, next } };
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
  summary: 'Orders from orders_view, newest first (limit 1..100, after or offset, status)',
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
