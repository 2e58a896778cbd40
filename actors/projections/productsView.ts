import type { Knex } from '@mikro-orm/postgresql';
import { defineProjection, type RecordedOf } from 'chronicle-runtime';
import type { ProductEvent } from '../product/index.js';
import { productsQuery } from './productQueries.js';
import { query } from './sql.js';
import { streamRuns } from './streamRuns.js';

type RecordedProductEvent = RecordedOf<ProductEvent>;

export const productEventTypes = [
  'ProductCreated',
  'ProductPriceChanged',
  'ProductDiscontinued',
] as const satisfies readonly ProductEvent['type'][];

// the rows check their version, so every product event must reach them: the build fails if one is missing
type Unlisted = Exclude<ProductEvent['type'], (typeof productEventTypes)[number]>;
const everyProductEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyProductEventListed;

/** A run of one product's events as a row change; `created` when the run starts with its creation. */
type Change = {
  product_id: string;
  created: { vendor_id: string; name: string; created_at: string } | null;
  price: number | null;
  status: 'ON_SALE' | 'DISCONTINUED' | null;
  updated_at: string;
  version: number;
  from_version: number;
};

const changeOf = (productId: string, run: readonly RecordedProductEvent[]): Change => {
  const change: Change = {
    product_id: productId,
    created: null,
    price: null,
    status: null,
    updated_at: '',
    version: 0,
    from_version: (run[0]?.version ?? 1) - 1,
  };
  for (const event of run) {
    change.updated_at = event.recordedAt;
    change.version = event.version;
    switch (event.type) {
      case 'ProductCreated':
        change.created = {
          vendor_id: event.data.vendorId,
          name: event.data.name,
          created_at: event.recordedAt,
        };
        change.price = event.data.price;
        change.status = 'ON_SALE';
        break;
      case 'ProductPriceChanged':
        change.price = event.data.price;
        break;
      case 'ProductDiscontinued':
        change.status = 'DISCONTINUED';
        break;
      default:
        return event satisfies never;
    }
  }
  return change;
};

/**
 * One statement per batch: insert the products created in it, move every other product's row on
 * only if it stands at the version just before. Answers the ids written, so a gap or a repeat is
 * seen.
 */
const write = `
  with created as (
    insert into products_view (product_id, vendor_id, name, price, status, created_at, updated_at, version)
    select c.product_id, c.created->>'vendor_id', c.created->>'name', c.price, c.status,
      (c.created->>'created_at')::timestamptz, c.updated_at, c.version
    from jsonb_to_recordset(?::jsonb) as c(product_id text, created jsonb, price numeric, status text,
      updated_at timestamptz, version integer)
    on conflict (product_id) do nothing
    returning product_id
  ), moved as (
    update products_view v set
      price = coalesce(c.price, v.price),
      status = coalesce(c.status, v.status),
      updated_at = c.updated_at,
      version = c.version
    from jsonb_to_recordset(?::jsonb) as c(product_id text, price numeric, status text,
      updated_at timestamptz, version integer, from_version integer)
    where v.product_id = c.product_id and v.version = c.from_version
    returning v.product_id
  )
  select array(select product_id from created) || array(select product_id from moved) as written`;

const handleBatch = async (events: readonly RecordedProductEvent[], tx: Knex.Transaction) => {
  const changes = [...streamRuns(events)].map(([productId, run]) => changeOf(productId, run));
  const [result] = await query<{ written: string[] }>(tx, write, [
    JSON.stringify(changes.filter((change) => change.created !== null)),
    JSON.stringify(changes.filter((change) => change.created === null)),
  ]);
  const written = new Set(result?.written ?? []);
  const missed = changes.find((change) => !written.has(change.product_id));
  if (!missed) return;
  const [found] = await query<{ version: number }>(
    tx,
    'select version from products_view where product_id = ?',
    [missed.product_id],
  );
  // never a silent skip (nor a silent double): a gap or a repeat stops the partition, visibly
  throw new Error(
    found === undefined
      ? `products_view has no product ${missed.product_id} to apply v${missed.from_version + 1} to`
      : `products_view has product ${missed.product_id} at v${found.version}; the next event is v${missed.from_version + 1}`,
  );
};

/** One row per product: its name, vendor, price and whether it is on sale. */
export const productsView = defineProjection<RecordedProductEvent>({
  name: 'products_view',
  events: productEventTypes,
  partitions: 2,
  tables: ['products_view'],
  handleBatch,
  queries: [productsQuery],
  reset: async (tx) => {
    await tx.raw('truncate products_view');
  },
});
