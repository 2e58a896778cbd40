import type { Knex } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { QueryResult } from '../queries/index.js';

/**
 * A read model a deployment serves over HTTP (`GET /v1/<path>`, role `read`): the runtime knows no
 * domain, so the sample's orders routes are plugged in by the api pod this way.
 * @example
 * const orders: ReadModelRoute = { path: 'orders', summary: 'List orders', query: ListOrdersQuery, run: listOrders };
 */
export type ReadModelRoute = {
  /** Under /v1/, e.g. `orders` or `orders/totals`. */
  readonly path: string;
  readonly summary: string;
  readonly query: z.ZodType;
  readonly run: (db: Knex, query: unknown) => Promise<QueryResult<unknown>>;
};
