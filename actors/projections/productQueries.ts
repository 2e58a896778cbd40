import type { Knex } from '@mikro-orm/postgresql';
import { type ProjectionQuery, type QueryResult, withQuery } from 'chronicle-runtime';
import { z } from 'zod';
import { query } from './sql.js';

const statuses = ['ON_SALE', 'DISCONTINUED'] as const;

export const ListProductsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The `next` of the previous page (a product id): the page after it, at the cost of the page. */
  after: z.string().min(1).max(200).optional(),
  vendorId: z.string().min(1).max(200).optional(),
  status: z.enum(statuses).optional(),
});

export type ProductRow = {
  readonly productId: string;
  readonly vendorId: string;
  readonly name: string;
  readonly price: number;
  readonly status: (typeof statuses)[number];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
};

export type ProductsPage = {
  readonly products: readonly ProductRow[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
};

type Row = {
  product_id: string;
  vendor_id: string;
  name: string;
  price: string;
  status: ProductRow['status'];
  created_at: Date;
  updated_at: Date;
  version: number;
};

/**
 * Products by id from products_view, optionally of one vendor or in one status, paged by `after`
 * (keyset: the primary key, products_view_vendor or products_view_status, each page its own rows).
 */
export const listProducts = (db: Knex, input: unknown): Promise<QueryResult<ProductsPage>> =>
  withQuery(ListProductsQuery, input, async ({ limit, after, vendorId, status }) => {
    const rows = await query<Row>(
      db,
      `select * from products_view
       where (?::text is null or vendor_id = ?) and (?::text is null or status = ?)
         and (?::text is null or product_id > ?)
       order by product_id limit ?`,
      [
        vendorId ?? null,
        vendorId ?? null,
        status ?? null,
        status ?? null,
        after ?? null,
        after ?? null,
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    const products = page.map(
      (row): ProductRow => ({
        productId: row.product_id,
        vendorId: row.vendor_id,
        name: row.name,
        price: Number(row.price),
        status: row.status,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
        version: row.version,
      }),
    );
    const next = rows.length > limit ? (page.at(-1)?.product_id ?? null) : null;
    return { status: 'ok', data: { products, next } };
  });

/** GET /v1/products, served from products_view. */
export const productsQuery: ProjectionQuery = {
  path: 'products',
  summary: 'Products from products_view by id (limit 1..100, after, vendorId, status)',
  query: ListProductsQuery,
  run: listProducts,
};
