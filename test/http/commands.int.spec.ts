import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcceptedResult } from '../../src/messages/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { authEnv, keys } from './support/apiKeys.js';
import { type ApiPod, startApiPod } from './support/apiPod.js';
import { call, withKey } from './support/http.js';

let path: CommandPath;
let api: ApiPod;
let worker: PodProcess;

beforeAll(async () => {
  path = await createCommandPath();
  worker = startPod('workers/command-worker.ts', path.podEnv);
  [api] = await Promise.all([
    startApiPod({ ...path.podEnv, ...authEnv }),
    worker.waitFor(/chronicle-command-worker ready/),
  ]);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.kill('SIGTERM')]);
  await path?.close();
});

const send = (body: Record<string, unknown>, query = '?wait=true', headers: Record<string, string> = {}) =>
  call(`${api.url}/v1/commands${query}`, { json: body, headers: { ...withKey(keys.sender), ...headers } });

const order = (aggregateId: string, type: string, payload: unknown = {}) => ({
  aggregateType: 'order',
  aggregateId,
  type,
  payload,
});

describe('commands over HTTP, against an api pod and a command worker pod', () => {
  it('places, pays and ships an order, waiting for each result', async () => {
    const steps: [string, unknown][] = [
      ['PlaceOrder', placeOrderPayload],
      ['InitiatePayment', {}],
      ['ConfirmPayment', {}],
      ['UpdateShippingStatus', { status: 'IN_TRANSIT' }],
      ['UpdateShippingStatus', { status: 'DELIVERED' }],
    ];
    for (const [index, [type, payload]] of steps.entries()) {
      const answer = await send(order('ship-1', type, payload));
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ status: 'accepted', version: index + 1 });
    }
    const state = await call(`${api.url}/v1/aggregates/order/ship-1`, { headers: withKey(keys.reader) });
    expect(state.body).toMatchObject({
      version: 5,
      value: { placed: { payment: 'paid', shipping: 'delivered' } },
      activePaths: expect.arrayContaining(['placed.payment.paid', 'placed.shipping.delivered']),
    });
  });

  it("records the key's operator-given name as issuedBy, nothing derived from the key itself", async () => {
    expect((await send(order('issued-1', 'PlaceOrder', placeOrderPayload))).status).toBe(200);
    const events = await call(`${api.url}/v1/aggregates/order/issued-1/events`, {
      headers: withKey(keys.reader),
    });
    const [placed] = (events.body as { events: { metadata: { issuedBy?: string } }[] }).events;
    expect(placed?.metadata.issuedBy).toBe('key:sender');
  });

  it('enqueues without waiting: 202, then the status shows the result', async () => {
    const answer = await send(order('nowait-1', 'PlaceOrder', placeOrderPayload), '');
    expect(answer.status).toBe(202);
    const { commandId } = answer.body as { commandId: string };
    expect(answer.headers.get('location')).toBe(`/v1/commands/${commandId}`);
    let status: { status?: string; result?: unknown } = {};
    for (let tries = 0; tries < 100 && status.status !== 'done'; tries++) {
      status = (await call(`${api.url}/v1/commands/${commandId}`, { headers: withKey(keys.reader) }))
        .body as typeof status;
      if (status.status !== 'done') await sleep(100);
    }
    expect(status).toMatchObject({ status: 'done', result: { status: 'accepted', version: 1 } });
    const unknown = await call(`${api.url}/v1/commands/no-such-command`, { headers: withKey(keys.reader) });
    expect(unknown.status).toBe(404);
  });

  it('answers a command sent twice with the same id once, with the same result', async () => {
    const body = { ...order('idem-1', 'PlaceOrder', placeOrderPayload), commandId: 'idem-command-1' };
    const first = await send(body);
    const second = await send(body);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });

  it("makes the caller's traceparent the parent of the command's trace", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await send(order('traced-1', 'PlaceOrder', placeOrderPayload), '?wait=true', {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    const [event] = (answer.body as AcceptedResult).events;
    expect(event?.metadata.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it('answers every kind of rejection with its status and { code, message }', async () => {
    await send(order('reject-1', 'PlaceOrder', placeOrderPayload));
    const cases: [Record<string, unknown>, number, string][] = [
      [order('reject-1', 'PlaceOrder', { ...placeOrderPayload, quantity: -1 }), 422, 'VALIDATION'],
      [
        { ...order('reject-1', 'PlaceOrder', placeOrderPayload), aggregateType: 'spaceship' },
        422,
        'UNKNOWN_AGGREGATE',
      ],
      [order('reject-1', 'LaunchOrder'), 422, 'UNKNOWN_COMMAND'],
      [order('reject-1', 'PlaceOrder', placeOrderPayload), 409, 'INVALID_TRANSITION'],
      [order('reject-1', 'ConfirmPayment'), 409, 'INVALID_TRANSITION'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await send(body);
      expect([answer.status, (answer.body as { code: string }).code], answer.text).toEqual([status, code]);
      expect(answer.body).toEqual(expect.objectContaining({ message: expect.any(String) }));
    }
    // a domain's own code is a conflict too
    const product = (type: string, payload: unknown) => ({
      aggregateType: 'product',
      aggregateId: 'p-1',
      type,
      payload,
    });
    await send(product('CreateProduct', { vendorId: 'v-1', name: 'Kettle', price: 30 }));
    const unchanged = await send(product('ChangePrice', { price: 30 }));
    expect([unchanged.status, (unchanged.body as { code: string }).code]).toEqual([409, 'PRICE_UNCHANGED']);
  });

  it('shows a rejection decided by the worker in the status of a command sent without waiting', async () => {
    await send(order('reject-2', 'PlaceOrder', placeOrderPayload));
    const answer = await send(order('reject-2', 'ConfirmPayment'), '');
    const { commandId } = answer.body as { commandId: string };
    let status: { status?: string } = {};
    for (let tries = 0; tries < 100 && status.status !== 'done'; tries++) {
      status = (await call(`${api.url}/v1/commands/${commandId}`, { headers: withKey(keys.sender) }))
        .body as typeof status;
      if (status.status !== 'done') await sleep(100);
    }
    expect(status).toMatchObject({
      status: 'done',
      result: { status: 'rejected', code: 'INVALID_TRANSITION' },
    });
  });

  it('bounds the wait', async () => {
    const answer = await send(
      order('bounded-1', 'PlaceOrder', placeOrderPayload),
      '?wait=true&timeoutMs=3600000',
    );
    expect(answer.status).toBe(400);
    expect((answer.body as { code: string }).code).toBe('INVALID_REQUEST');
  });
});

describe('the api pod after serving waits', () => {
  it('stops on SIGTERM with exit 0: no connection is left open', async () => {
    await send(order('exit-check', 'PlaceOrder', placeOrderPayload));
    expect(await api.stop()).toEqual({ code: 0, signal: null });
  });
});
