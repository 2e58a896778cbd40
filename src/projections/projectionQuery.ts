import type { Knex } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { QueryResult } from '../queries/index.js';

/**
 * A query a projection serves over HTTP: `GET /v1/<path>` (role `read`), its parameters checked by
 * `query` (a zod schema, also in the OpenAPI document), answered by `run` over the read model.
 * @example
 * const orders: ProjectionQuery = { path: 'orders', summary: 'List orders', query: ListOrdersQuery, run: listOrders };
 */
export type ProjectionQuery = {
  /** Under /v1/, e.g. `orders` or `orders/totals`. */
  readonly path: string;
  readonly summary: string;
  readonly query: z.ZodType;
  readonly run: (db: Knex, query: unknown) => Promise<QueryResult<unknown>>;
};

const pathPattern = /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/;

/** Why a query's path cannot be served, or undefined. */
export const queryPathProblem = (path: string): string | undefined =>
  pathPattern.test(path)
    ? undefined
    : `query path "${path}" must be lower-case words joined by "/" (e.g. orders/totals)`;
