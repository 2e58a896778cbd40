import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvelope, shardFor, shardQueueName } from '../../src/commands/index.js';
import { query } from '../../src/eventStore/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder, placeOrderPayload } from '../support/orderCommands.js';

describe('bad input is rejected with its code, appends nothing, and the ledger keeps the answer', () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
  });
  afterAll(() => path.close());

  const storeRows = async (streamId: string) => {
    const knex = path.db.orm.em.getKnex();
    const [row] = await query<{ events: string; commands: string; rejected: string }>(
      knex,
      `select (select count(*) from es_events where stream_id = ?) as events,
              (select count(*) from es_commands where stream_id = ? and status = 'accepted') as commands,
              (select count(*) from es_commands where stream_id = ? and status = 'rejected') as rejected`,
      [streamId, streamId, streamId],
    );
    return { events: Number(row?.events), commands: Number(row?.commands), rejected: Number(row?.rejected) };
  };

  it('an invalid payload is VALIDATION naming the field', async () => {
    const result = await path.client.send(
      { ...placeOrder('bad-1'), payload: { ...placeOrderPayload, quantity: 0, extra: true } },
      { wait: true },
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(result.status === 'rejected' && result.message).toMatch(/quantity/);
    expect(await storeRows('bad-1')).toEqual({ events: 0, commands: 0, rejected: 1 });
  });

  it('an unknown aggregate type is UNKNOWN_AGGREGATE', async () => {
    const result = await path.client.send(
      { aggregateType: 'spaceship', aggregateId: 'bad-2', type: 'Launch', payload: {} },
      { wait: true },
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'UNKNOWN_AGGREGATE' });
    expect(await storeRows('bad-2')).toEqual({ events: 0, commands: 0, rejected: 1 });
  });

  it('an unknown command is UNKNOWN_COMMAND', async () => {
    const result = await path.client.send(
      { aggregateType: 'order', aggregateId: 'bad-3', type: 'TeleportOrder', payload: {} },
      { wait: true },
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'UNKNOWN_COMMAND' });
    expect(await storeRows('bad-3')).toEqual({ events: 0, commands: 0, rejected: 1 });
  });

  it('shipping before paying is INVALID_TRANSITION naming the state and the event', async () => {
    await path.client.send(placeOrder('bad-4'), { wait: true });
    const result = await path.client.send(
      {
        aggregateType: 'order',
        aggregateId: 'bad-4',
        type: 'UpdateShippingStatus',
        payload: { status: 'IN_TRANSIT' },
      },
      { wait: true },
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'INVALID_TRANSITION' });
    expect(result.status === 'rejected' && result.message).toMatch(
      /waitingForPayment.*OrderShippingStatusUpdated/,
    );
    expect(await storeRows('bad-4')).toEqual({ events: 1, commands: 1, rejected: 1 });
  });

  it('a payload over 1 MiB is refused by the client before it is enqueued', async () => {
    const huge = { ...placeOrderPayload, note: 'x'.repeat(1024 * 1024) };
    const result = await path.client.send(
      { ...placeOrder('bad-5', 'huge-1'), payload: huge },
      { wait: true },
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(result.status === 'rejected' && result.message).toMatch(/exceeds the limit/);
    expect(await path.client.status('huge-1')).toEqual({ status: 'unknown', commandId: 'huge-1' });
    expect(await storeRows('bad-5')).toEqual({ events: 0, commands: 0, rejected: 0 });
  });

  it('a payload over 1 MiB put on the queue by another producer is refused by the worker', async () => {
    const envelope = buildEnvelope({
      ...placeOrder('bad-6', 'huge-2'),
      payload: { ...placeOrderPayload, note: 'x'.repeat(1024 * 1024 + 1) },
    });
    const queue = new Queue(shardQueueName(shardFor('order', 'bad-6', path.config.shards)), {
      connection: { url: path.config.redisUrl },
      prefix: path.config.queuePrefix,
    });
    await queue.add('PlaceOrder', envelope, { jobId: 'huge-2' });
    await queue.close();
    let status = await path.client.status('huge-2');
    for (let i = 0; status.status !== 'done' && i < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = await path.client.status('huge-2');
    }
    expect(status).toMatchObject({ status: 'done', result: { status: 'rejected', code: 'VALIDATION' } });
    expect(await storeRows('bad-6')).toEqual({ events: 0, commands: 0, rejected: 0 });
  });

  it('what jsonb cannot hold (NUL, lone surrogates, NaN, deep nesting) is refused by the client', async () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    for (const [i, payload] of [
      { ...placeOrderPayload, customerId: 'c\u0000' },
      { ...placeOrderPayload, customerId: '\ud800' },
      { ...placeOrderPayload, quantity: Number.NaN },
      { ...placeOrderPayload, note: deep },
    ].entries()) {
      const result = await path.client.send(
        { ...placeOrder('bad-8', `poison-${i}`), payload },
        { wait: true },
      );
      expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
      expect(await path.client.status(`poison-${i}`)).toEqual({
        status: 'unknown',
        commandId: `poison-${i}`,
      });
    }
    const corrupt = await path.client.send({ ...placeOrder('bad-8'), correlationId: 'x\u0000' });
    expect(corrupt).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await storeRows('bad-8')).toEqual({ events: 0, commands: 0, rejected: 0 });
  });

  it('a NUL put on the queue by another producer is refused by the worker, not retried, and the shard goes on', async () => {
    const poison = buildEnvelope({
      ...placeOrder('bad-9', 'poison-queued'),
      payload: { ...placeOrderPayload, customerId: 'c\u0000' },
    });
    const queue = new Queue(shardQueueName(shardFor('order', 'bad-9', path.config.shards)), {
      connection: { url: path.config.redisUrl },
      prefix: path.config.queuePrefix,
    });
    await queue.add('PlaceOrder', poison, { jobId: 'poison-queued' });
    await queue.close();
    // the same aggregate, so the same shard, right behind it
    const behind = await path.client.send(placeOrder('bad-9', 'behind-poison'), { wait: true });
    expect(behind).toMatchObject({ status: 'accepted', version: 1 });
    expect(await path.client.status('poison-queued')).toMatchObject({
      status: 'done',
      result: { status: 'rejected', code: 'VALIDATION', message: expect.stringMatching(/customerId.*NUL/) },
    });
  });

  it('ids with forbidden characters are VALIDATION', async () => {
    expect(await path.client.send(placeOrder('bad-7', 'has:colon'), { wait: true })).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await path.client.send(placeOrder('bad-7', '12345'), { wait: true })).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await path.client.send(placeOrder('bad id/7'), { wait: true })).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await storeRows('bad-7')).toEqual({ events: 0, commands: 0, rejected: 0 });
  });
});
