import { afterAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { productsView } from '../../actors/projections/index.js';
import { projectionsRebuild } from '../../src/cli/projectionCommands.js';
import { createPostgresEventStore, query } from '../../src/eventStore/index.js';
import { type ProjectionWorker, projectionStatus, runProjectionWorker } from '../../src/projections/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { apiWithWorker } from '../http/support/inProcessApi.js';
import { fastSettings } from '../subscriptions/support.js';
import { waitFor } from '../support/waitFor.js';

// products_view: one row per product, served at GET /v1/products, rebuilt like orders_view.

const api = apiWithWorker();
let worker: ProjectionWorker | undefined;
afterAll(async () => {
  await worker?.stop();
});

const read = (route: string) => call(`${api.url}${route}`, { headers: withKey(keys.reader) });
const send = async (aggregateId: string, type: string, payload: unknown) => {
  const result = await api.path.client.send(
    { aggregateType: 'product', aggregateId, type, payload },
    { wait: true, timeoutMs: 20_000 },
  );
  expect(result.status).toBe('accepted');
};
const caughtUp = async () =>
  (await projectionStatus(api.path.db.orm.em.getKnex(), domainEventSchemas, [productsView])).every(
    (partition) => partition.lag.events === 0,
  );

type Page = {
  products: {
    productId: string;
    vendorId: string;
    name: string;
    price: number;
    status: string;
    version: number;
  }[];
  next: string | null;
};

describe('products_view', () => {
  it('given products created, repriced and discontinued, then each row has its name, vendor, price and status', async () => {
    worker = await runProjectionWorker({
      aggregates,
      config: api.path.config,
      projections: [productsView],
      settings: fastSettings('products', { batchSize: 50 }),
    });
    await send('p-1', 'CreateProduct', { vendorId: 'vendor-a', name: 'Teapot', price: 25 });
    await send('p-2', 'CreateProduct', { vendorId: 'vendor-a', name: 'Kettle', price: 40 });
    await send('p-3', 'CreateProduct', { vendorId: 'vendor-b', name: 'Mug', price: 8 });
    await send('p-1', 'ChangePrice', { price: 30 });
    await send('p-2', 'DiscontinueProduct', { reason: 'recalled' });
    await waitFor(caughtUp, { what: 'products_view' });

    const page = (await read('/v1/products')).body as Page;
    expect(page).toEqual({
      products: [
        expect.objectContaining({
          productId: 'p-1',
          vendorId: 'vendor-a',
          name: 'Teapot',
          price: 30,
          status: 'ON_SALE',
          version: 2,
        }),
        expect.objectContaining({
          productId: 'p-2',
          name: 'Kettle',
          price: 40,
          status: 'DISCONTINUED',
          version: 2,
        }),
        expect.objectContaining({
          productId: 'p-3',
          vendorId: 'vendor-b',
          price: 8,
          status: 'ON_SALE',
          version: 1,
        }),
      ],
      next: null,
    });
  });

  it('when filtered by vendor or status and paged, then only those, a page at a time', async () => {
    const ofVendor = (await read('/v1/products?vendorId=vendor-a')).body as Page;
    expect(ofVendor.products.map((product) => product.productId)).toEqual(['p-1', 'p-2']);
    const onSale = (await read('/v1/products?status=ON_SALE')).body as Page;
    expect(onSale.products.map((product) => product.productId)).toEqual(['p-1', 'p-3']);
    const first = (await read('/v1/products?limit=2')).body as Page;
    expect(first.next).toBe('p-2');
    const second = (await read(`/v1/products?limit=2&after=${first.next}`)).body as Page;
    expect(second).toMatchObject({ products: [{ productId: 'p-3' }], next: null });
  });

  it('when asked with a status it does not know, then 400 naming it', async () => {
    const answer = await read('/v1/products?status=SOLD_OUT');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('status'),
    });
  });

  it('given a row changed behind its back, when rebuilt, then it is folded again from the events', async () => {
    const knex = api.path.db.orm.em.getKnex();
    await query(knex, "update products_view set price = 999, name = 'tampered' where product_id = 'p-3'");
    const result = await projectionsRebuild(
      { orm: api.path.db.orm, aggregates, projections: [productsView] },
      'products_view',
    );
    expect(result).toMatchObject({ status: 'rebuilt', name: 'products_view' });
    await waitFor(caughtUp, { what: 'products_view after the rebuild' });
    const page = (await read('/v1/products?vendorId=vendor-b')).body as Page;
    expect(page.products).toEqual([expect.objectContaining({ productId: 'p-3', name: 'Mug', price: 8 })]);
  });

  it('given an event its row has already seen, or one of a product it never saw created, then the batch fails, writing nothing', async () => {
    const knex = api.path.db.orm.em.getKnex();
    const handler = productsView.handler;
    if (handler.kind !== 'batch') throw new Error('products_view should take batches');
    const events = await createPostgresEventStore(api.path.db.orm, {
      schemas: domainEventSchemas,
    }).readStream({
      streamType: 'product',
      streamId: 'p-1',
    });
    const repriced = events.at(-1);
    if (!repriced) throw new Error('no history for p-1');
    const context = { subscription: 'products_view', partition: 0 };
    await expect(knex.transaction((tx) => handler.handleBatch([repriced], tx, context))).rejects.toThrow(
      'products_view has product p-1 at v2; the next event is v2',
    );
    const stranger = { ...repriced, streamId: 'p-unknown', eventId: crypto.randomUUID() };
    await expect(knex.transaction((tx) => handler.handleBatch([stranger], tx, context))).rejects.toThrow(
      'products_view has no product p-unknown to apply v2 to',
    );
    const page = (await read('/v1/products?vendorId=vendor-a')).body as Page;
    expect(page.products.map((product) => [product.productId, product.price])).toEqual([
      ['p-1', 30],
      ['p-2', 40],
    ]);
  });
});
