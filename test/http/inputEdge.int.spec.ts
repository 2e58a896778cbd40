import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT, MAX_QUANTITY } from '../../actors/index.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { keys } from './support/apiKeys.js';
import { useApiPodWithKeys } from './support/apiPod.js';
import { type Answer, call, withKey } from './support/http.js';

const api = useApiPodWithKeys();

const post = (body: unknown, query = '') =>
  call(`${api.url}/v1/commands${query}`, { json: body, headers: withKey(keys.sender) });

const placeOrder = (aggregateId: string, commandId: string, payload: unknown = placeOrderPayload) => ({
  aggregateType: 'order',
  aggregateId,
  type: 'PlaceOrder',
  commandId,
  payload,
});

/** Refused with `{ code, message }` and never enqueued: its status is unknown. */
const expectRefused = async (answer: Answer, status: number, code: string, commandId: string) => {
  expect([answer.status, (answer.body as { code?: string }).code], answer.text).toEqual([status, code]);
  expect(answer.body).toEqual(expect.objectContaining({ message: expect.any(String) }));
  const lookup = await call(`${api.url}/v1/commands/${commandId}`, { headers: withKey(keys.sender) });
  expect(lookup.status).toBe(404);
};

describe('what the event store cannot hold is refused at the HTTP edge, before any queue', () => {
  it('a NUL or a lone surrogate in any payload string or key is 422 VALIDATION naming where', async () => {
    const cases: [string, unknown][] = [
      ['nul-value', { ...placeOrderPayload, customerId: 'c\u0000' }],
      ['high-surrogate', { ...placeOrderPayload, customerId: 'c\ud800' }],
      ['low-surrogate', { ...placeOrderPayload, vendorId: '\udfff' }],
      ['nul-key', { ...placeOrderPayload, 'x\u0000': 1 }],
    ];
    for (const [id, payload] of cases) {
      for (const query of ['', '?wait=true']) {
        const answer = await post(placeOrder(`edge-${id}`, `edge-${id}`, payload), query);
        await expectRefused(answer, 422, 'VALIDATION', `edge-${id}`);
      }
    }
    const answer = await post(
      placeOrder('edge-path', 'edge-path', { ...placeOrderPayload, productId: 'p\u0000' }),
    );
    expect((answer.body as { message: string }).message).toMatch(/payload\.productId: contains a NUL/);
  });

  it('a NUL or a lone surrogate in correlationId or causationId is 422 VALIDATION', async () => {
    for (const [field, value] of [
      ['correlationId', 'corr\u0000'],
      ['causationId', 'cause\ud83d'],
    ] as const) {
      const answer = await post({ ...placeOrder(`edge-${field}`, `edge-${field}`), [field]: value });
      await expectRefused(answer, 422, 'VALIDATION', `edge-${field}`);
      expect((answer.body as { message: string }).message).toContain(field);
    }
  });

  it('a NUL in a path or query of a read is 400 INVALID_REQUEST naming where, never a 500 from PostgreSQL', async () => {
    for (const [path, where] of [
      ['/v1/correlations/corr%00', 'path: correlationId: contains a NUL'],
      ['/v1/events?type=Order%00Placed', 'query: type: contains a NUL'],
      ['/v1/events?aggregateType=%00', 'query: aggregateType: contains a NUL'],
    ] as const) {
      const answer = await call(`${api.url}${path}`, { headers: withKey(keys.reader) });
      expect([answer.status, answer.body], path).toEqual([
        400,
        { code: 'INVALID_REQUEST', message: expect.stringContaining(where) },
      ]);
    }
  });

  it('quantity and money past the domain bounds are 422 VALIDATION; at the bounds they are enqueued', async () => {
    const tooMany = await post(
      placeOrder('edge-q', 'edge-q', { ...placeOrderPayload, quantity: 2_147_483_648 }),
    );
    await expectRefused(tooMany, 422, 'VALIDATION', 'edge-q');
    const tooDear = await post(placeOrder('edge-m', 'edge-m', { ...placeOrderPayload, totalPrice: 1e308 }));
    await expectRefused(tooDear, 422, 'VALIDATION', 'edge-m');
    const price = await post({
      aggregateType: 'product',
      aggregateId: 'edge-p',
      type: 'CreateProduct',
      commandId: 'edge-p',
      payload: { vendorId: 'v', name: 'n', price: MAX_AMOUNT + 1 },
    });
    await expectRefused(price, 422, 'VALIDATION', 'edge-p');
    const atBounds = { ...placeOrderPayload, quantity: MAX_QUANTITY, totalPrice: MAX_AMOUNT };
    expect((await post(placeOrder('edge-ok', 'edge-ok', atBounds))).status).toBe(202);
  });

  it('payload: null is a payload its schema refuses, not an empty one', async () => {
    const answer = await post({
      aggregateType: 'order',
      aggregateId: 'edge-n',
      type: 'ConfirmPayment',
      commandId: 'edge-n',
      payload: null,
    });
    await expectRefused(answer, 422, 'VALIDATION', 'edge-n');
  });

  it('a text/plain body is 415 UNSUPPORTED_MEDIA_TYPE, as the docs say', async () => {
    const answer = await call(`${api.url}/v1/commands`, {
      raw: JSON.stringify(placeOrder('edge-t', 'edge-t')),
      headers: { 'content-type': 'text/plain', ...withKey(keys.sender) },
    });
    await expectRefused(answer, 415, 'UNSUPPORTED_MEDIA_TYPE', 'edge-t');
  });
});
