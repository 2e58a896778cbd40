import { describe, expect, it } from 'vitest';
import { placeOrderPayload } from '../support/orderCommands.js';
import { keys } from './support/apiKeys.js';
import { call, withKey } from './support/http.js';
import { apiWithWorker } from './support/inProcessApi.js';

// Each aggregate of the deployment as a resource: /v1/<plural>, /v1/<plural>/:id/<command>.

const api = apiWithWorker();

const post = (route: string, json: unknown, key: string = keys.sender) =>
  call(`${api.url}${route}`, { json, headers: withKey(key) });
const read = (route: string) => call(`${api.url}${route}`, { headers: withKey(keys.reader) });

type Created = { id: string; status: string; version: number; events: { type: string }[] };

const placeOrder = async (): Promise<Created> => {
  const answer = await post('/v1/orders', placeOrderPayload);
  expect(answer.status, answer.text).toBe(201);
  return answer.body as Created;
};

describe('resource routes from the deployment', () => {
  it('given no order, when POST /v1/orders, then 201 names a new order with its OrderPlaced', async () => {
    const answer = await post('/v1/orders', placeOrderPayload);
    expect(answer.status, answer.text).toBe(201);
    const body = answer.body as Created;
    expect(body).toMatchObject({ status: 'accepted', version: 1, events: [{ type: 'OrderPlaced' }] });
    expect(answer.headers.get('location')).toBe(`/v1/orders/${body.id}`);
    const state = await read(`/v1/orders/${body.id}`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ version: 1, context: { details: { customerId: 'customer-1' } } });
  });

  it('given two creations, then each has its own id', async () => {
    const [first, second] = await Promise.all([placeOrder(), placeOrder()]);
    expect(first.id).not.toBe(second.id);
  });

  it('given a placed order, when POST …/cancel, then OrderCancelled; again, then 409 INVALID_TRANSITION', async () => {
    const { id } = await placeOrder();
    const cancelled = await post(`/v1/orders/${id}/cancel`, { reason: 'changed my mind' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ version: 2, events: [{ type: 'OrderCancelled' }] });
    const again = await post(`/v1/orders/${id}/cancel`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  it('serves a command at the path its aggregate names: UpdateShippingStatus at …/shipping-status', async () => {
    const { id } = await placeOrder();
    await post(`/v1/orders/${id}/initiate-payment`, {});
    expect((await post(`/v1/orders/${id}/confirm-payment`, {})).status).toBe(200);
    const shipped = await post(`/v1/orders/${id}/shipping-status`, { status: 'IN_TRANSIT' });
    expect(shipped.status, shipped.text).toBe(200);
    expect((await read(`/v1/orders/${id}`)).body).toMatchObject({ version: 4 });
  });

  it('when the payload breaks the command schema, then 422 VALIDATION and nothing is stored', async () => {
    const answer = await post('/v1/orders', { ...placeOrderPayload, quantity: -1 });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'VALIDATION' });
    const { id } = await placeOrder();
    const bad = await post(`/v1/orders/${id}/cancel`, { reason: '' });
    expect(bad.status).toBe(422);
    expect((await read(`/v1/orders/${id}`)).body).toMatchObject({ version: 1 });
  });

  it('given wait=false, then 202 with the new id and the command status to follow', async () => {
    const answer = await call(`${api.url}/v1/products?wait=false`, {
      json: { vendorId: 'vendor-1', name: 'Teapot', price: 25 },
      headers: withKey(keys.sender),
    });
    expect(answer.status, answer.text).toBe(202);
    const { id, commandId } = answer.body as { id: string; commandId: string };
    expect(answer.headers.get('location')).toBe(`/v1/commands/${commandId}`);
    for (let tries = 0; tries < 100; tries++) {
      const state = await read(`/v1/products/${id}`);
      if (state.status === 200) {
        expect(state.body).toMatchObject({ value: 'onSale', context: { name: 'Teapot' } });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`product ${id} never appeared`);
  });

  it('sends with the same roles as /v1/commands: per aggregate type, never with read alone', async () => {
    expect((await post('/v1/orders', placeOrderPayload, keys.orderSender)).status).toBe(201);
    const other = await post('/v1/orders', placeOrderPayload, keys.paymentSender);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await post('/v1/orders', placeOrderPayload, keys.reader)).status).toBe(403);
    expect((await call(`${api.url}/v1/orders/x-1`, { headers: withKey(keys.orderSender) })).status).toBe(403);
  });

  it('given no such order, when read, then 404; a bad id is 400', async () => {
    expect((await read('/v1/orders/no-such-order')).status).toBe(404);
    expect((await read('/v1/orders/bad%20id')).status).toBe(400);
  });

  it("describes every resource route in OpenAPI with the command's own schema", async () => {
    const document = (await read('/v1/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const cancel = document.paths['/v1/orders/{id}/cancel']?.post;
    expect(cancel?.requestBody?.content['application/json']?.schema).toMatchObject({
      properties: { reason: { type: 'string' } },
    });
    expect(
      document.paths['/v1/orders']?.post?.requestBody?.content['application/json']?.schema,
    ).toMatchObject({ properties: { customerId: {}, quantity: {} } });
    expect(document.paths['/v1/products/{id}']?.get).toBeDefined();
    expect(document.paths['/v1/users/{id}/change-email']?.post).toBeDefined();
    expect(document.paths['/v1/commands']?.post).toBeDefined();
  });
});
