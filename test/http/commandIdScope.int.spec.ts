import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardFor } from '../../src/commands/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { deadLetterNext } from '../support/deadLetter.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { waitFor } from '../support/waitFor.js';
import { keys } from './support/apiKeys.js';
import { call, withKey } from './support/http.js';
import { startInProcessApi } from './support/inProcessApi.js';

// An attacker holding a key of its own (here one that may only send payment commands) knows or
// guesses another key's command id: it must not read, run, block or poison that command.

let path: CommandPath;
let server: ApiServer;
let url: string;

beforeAll(async () => {
  path = await createCommandPath();
  ({ server, url } = await startInProcessApi(path.config));
});

afterAll(async () => {
  await server?.close();
  await path?.close();
});

const send = (key: string, body: Record<string, unknown>, query = '') =>
  call(`${url}/v1/commands${query}`, { json: body, headers: withKey(key) });

const status = (key: string, commandId: string) =>
  call(`${url}/v1/commands/${commandId}`, { headers: withKey(key) });

const order = (aggregateId: string, commandId: string) => ({
  aggregateType: 'order',
  aggregateId,
  type: 'PlaceOrder',
  payload: placeOrderPayload,
  commandId,
});

const payment = (aggregateId: string, commandId: string) => ({
  aggregateType: 'payment',
  aggregateId,
  type: 'RequestPayment',
  payload: { orderId: 'o-any', amount: 10, method: 'CARD' },
  commandId,
});

/** An aggregate id of `type`, named from `stem`, whose commands go to `shard`. */
const idOnShard = (type: string, stem: string, shard: number) => {
  for (let n = 0; ; n++)
    if (shardFor(type, `${stem}-${n}`, path.config.shards) === shard) return `${stem}-${n}`;
};

describe('command ids are scoped to the principal that sends them', () => {
  it("(a) given another key's dead-lettered command, reusing its id never runs it again", async () => {
    // given an order command of the order sender, dead-lettered (no command worker runs yet)
    const victimId = `scope-a-${randomUUID()}`;
    const orderId = idOnShard('order', 'scope-a-order', 1);
    expect((await send(keys.orderSender, order(orderId, victimId))).status).toBe(202);
    await deadLetterNext(path.config, 1);
    expect((await status(keys.orderSender, victimId)).body).toMatchObject({ status: 'failed' });
    // when a key that may only send payments sends a payment of the same shard under that id
    const attack = await send(keys.paymentSender, payment(idOnShard('payment', 'scope-a-pay', 1), victimId));
    // then the attacker's payment is its own command, and the dead letter stays dead
    expect(attack.status, attack.text).toBe(202);
    expect(attack.body).toEqual({ commandId: victimId, status: 'enqueued' });
    expect((await status(keys.orderSender, victimId)).body).toMatchObject({
      status: 'failed',
      commandId: victimId,
    });
    expect((await status(keys.paymentSender, victimId)).body).toMatchObject({
      status: 'queued',
      commandId: victimId,
    });
  });

  it("(b) another key's command under the same id never shows in the caller's status", async () => {
    await path.startWorker();
    // given the attacker's accepted payment under id X on shard 0
    const id = `scope-b-${randomUUID()}`;
    const attack = await send(
      keys.paymentSender,
      payment(idOnShard('payment', 'scope-b-pay', 0), id),
      '?wait=true',
    );
    expect(attack.status, attack.text).toBe(200);
    // when the order sender sends its order under X, without waiting, on a later shard
    const orderId = idOnShard('order', 'scope-b-order', 3);
    expect((await send(keys.orderSender, order(orderId, id))).status).toBe(202);
    // then its status is its own order's, accepted
    const own = await waitFor(
      async () => {
        const answer = (await status(keys.orderSender, id)).body as { status: string };
        return answer.status === 'done' || answer.status === 'failed' ? answer : undefined;
      },
      { what: "the order sender's command to finish" },
    );
    expect(own).toMatchObject({
      status: 'done',
      commandId: id,
      result: { status: 'accepted', commandId: id, aggregateType: 'order', aggregateId: orderId, version: 1 },
    });
  });

  it('(c) an id used first by another key does not block the caller', async () => {
    const id = `scope-c-${randomUUID()}`;
    // given the attacker's payment under id Y
    expect((await send(keys.paymentSender, payment('scope-c-pay', id), '?wait=true')).status).toBe(200);
    // when the order sender places its order under Y
    const placed = await send(keys.orderSender, order('scope-c-order', id), '?wait=true');
    // then the order is placed, and named by the id its sender chose
    expect(placed.status, placed.text).toBe(200);
    expect(placed.body).toMatchObject({ status: 'accepted', commandId: id, aggregateId: 'scope-c-order' });
    const state = await call(`${url}/v1/aggregates/order/scope-c-order`, { headers: withKey(keys.reader) });
    expect(state.body).toMatchObject({ version: 1 });
  });

  it('answers a send-only key about its own commands only; a reader about any it can name', async () => {
    // given the order sender's command with an id the API chose
    const placed = await send(
      keys.orderSender,
      { ...order('scope-7-order', 'unused'), commandId: undefined },
      '?wait=true',
    );
    expect(placed.status, placed.text).toBe(200);
    const { commandId } = placed.body as { commandId: string };
    // then its sender and a reader see it; a key that may only send payments does not
    expect((await status(keys.orderSender, commandId)).status).toBe(200);
    expect((await status(keys.reader, commandId)).body).toMatchObject({ status: 'done', commandId });
    const other = await status(keys.paymentSender, commandId);
    expect([other.status, (other.body as { code?: string }).code]).toEqual([404, 'NOT_FOUND']);
  });
});
