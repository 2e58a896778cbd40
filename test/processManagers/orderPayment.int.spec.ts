import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardFor, shardQueueName } from '../../src/commands/index.js';
import { type EventStore, query } from '../../src/eventStore/index.js';
import type { CommandRequest, RecordedEvent } from '../../src/messages/index.js';
import { correlationStory } from '../../src/queries/index.js';
import type { CommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { type OrderPaymentPods, startOrderPaymentPods } from '../support/orderPaymentPods.js';
import { waitFor } from '../support/waitFor.js';

// long enough for a capture to beat it on a loaded two-core machine, short enough to wait out
const TIMEOUT_MS = 4_000;

describe('order-payment: events of order X and payment X drive commands across both', () => {
  let pods: OrderPaymentPods;
  let path: CommandPath;
  let store: EventStore;

  beforeAll(async () => {
    pods = await startOrderPaymentPods(TIMEOUT_MS);
    ({ path, store } = pods);
  });
  afterAll(() => pods.close());

  const stream = (streamType: string, streamId: string) => store.readStream({ streamType, streamId });
  const types = (events: readonly RecordedEvent[]) => events.map((event) => event.type);
  const until = (streamType: string, streamId: string, type: string) =>
    waitFor(async () => (types(await stream(streamType, streamId)).includes(type) ? true : undefined), {
      what: `${type} in ${streamType}/${streamId}`,
    });
  const send = async (request: CommandRequest) => {
    const result = await path.client.send(request, { wait: true });
    if (result.status !== 'accepted') throw new Error(`${request.type}: ${result.code}: ${result.message}`);
    return result;
  };
  const provider = (id: string, type: string, payload: object = {}) =>
    send({ aggregateType: 'payment', aggregateId: id, type, payload });

  it('given an order placed and its payment captured, the order is paid, caused by the capture', async () => {
    const placed = await send(placeOrder('op-paid'));
    await until('payment', 'op-paid', 'PaymentRequested');
    await until('order', 'op-paid', 'OrderPaymentInitiated');
    await provider('op-paid', 'AuthorizePayment', { authorizationCode: 'A-1' });
    const captured = await provider('op-paid', 'CapturePayment');
    await until('order', 'op-paid', 'OrderPaid');

    const [request] = await stream('payment', 'op-paid');
    expect(request?.data).toMatchObject({ orderId: 'op-paid', amount: 40, method: 'CARD' });
    const requestCommand = await store.findCommand(request?.metadata.commandId ?? '');
    expect(requestCommand).toMatchObject({
      type: 'RequestPayment',
      causationId: placed.events[0]?.eventId,
      correlationId: placed.events[0]?.metadata.correlationId,
      issuedBy: 'process-manager:order-payment',
    });
    const paid = (await stream('order', 'op-paid')).find((event) => event.type === 'OrderPaid');
    const confirm = await store.findCommand(paid?.metadata.commandId ?? '');
    expect(confirm?.causationId).toBe(captured.events[0]?.eventId);
    expect(types(await stream('order-payment', 'op-paid'))).toEqual([
      'OrderPlacedHandled',
      'PaymentRequestedHandled',
      'PaymentCapturedHandled',
    ]);

    // the order's story: each step after its cause, across order, payment and the process manager
    const story = await correlationStory(store, placed.events[0]?.metadata.correlationId ?? '');
    if (story.status !== 'ok') throw new Error(story.message);
    const line = (step: (typeof story.data)[number]) =>
      `${step.kind} ${step.aggregateType} ${step.type}${step.kind === 'command' ? ` ${step.status}` : ''}`;
    expect(story.data.map(line)).toEqual([
      'command order PlaceOrder accepted',
      'event order OrderPlaced',
      'event order-payment OrderPlacedHandled',
      'command payment RequestPayment accepted',
      'event payment PaymentRequested',
      'event order-payment PaymentRequestedHandled',
      'command order InitiatePayment accepted',
      'event order OrderPaymentInitiated',
    ]);
    // the provider's own commands start stories of their own (they carry no causation from ours)
    const captureStory = await correlationStory(store, captured.events[0]?.metadata.correlationId ?? '');
    if (captureStory.status !== 'ok') throw new Error(captureStory.message);
    expect(captureStory.data.map(line)).toEqual([
      'command payment CapturePayment accepted',
      'event payment PaymentCaptured',
      'event order-payment PaymentCapturedHandled',
      'command order ConfirmPayment accepted',
      'event order OrderPaid',
    ]);
  });

  it('given a declined payment, the order fails with the decline reason and is not cancelled later', async () => {
    await send(placeOrder('op-declined'));
    await until('order', 'op-declined', 'OrderPaymentInitiated');
    await provider('op-declined', 'DeclinePayment', { reason: 'insufficient funds' });
    await until('order', 'op-declined', 'OrderPaymentFailed');
    const failed = (await stream('order', 'op-declined')).at(-1);
    expect(failed).toMatchObject({ type: 'OrderPaymentFailed', data: { reason: 'insufficient funds' } });
    // the timeout was cancelled with the decline: its job is gone, or (if it was already firing)
    // it completed without effect, since the instance no longer had it pending
    const instance = await stream('order-payment', 'op-declined');
    const cancelled = instance.flatMap((event) =>
      (event.data as { outputs: { kind: string; deadlineId: string }[] }).outputs.filter(
        (o) => o.kind === 'cancel',
      ),
    );
    expect(cancelled).toHaveLength(1);
    const deadlines = new Queue('process-deadlines', {
      connection: { url: path.config.redisUrl },
      prefix: path.config.queuePrefix,
    });
    const job = await deadlines.getJob(cancelled[0]?.deadlineId ?? '');
    if (job)
      await waitFor(async () => (await job.getState()) === 'completed', { what: 'the deadline job done' });
    expect(types(await stream('order-payment', 'op-declined'))).not.toContain('PaymentTimedOutHandled');
    expect(types(await stream('order', 'op-declined'))).not.toContain('OrderCancelled');
    await deadlines.close();
  });

  it('given no capture in time, the order is cancelled (PAYMENT_TIMEOUT) and a late capture is refunded', async () => {
    await send(placeOrder('op-late'));
    await until('order', 'op-late', 'OrderPaymentInitiated');
    await provider('op-late', 'AuthorizePayment', { authorizationCode: 'A-2' });
    await until('order', 'op-late', 'OrderCancelled');
    expect((await stream('order', 'op-late')).at(-1)?.data).toEqual({ reason: 'PAYMENT_TIMEOUT' });
    await provider('op-late', 'CapturePayment');
    await until('payment', 'op-late', 'PaymentRefunded');
    expect((await stream('payment', 'op-late')).at(-1)?.data).toEqual({
      amount: 40,
      reason: 'PAYMENT_TIMEOUT',
    });
    expect(types(await stream('order', 'op-late'))).not.toContain('OrderPaid');
  });

  it('given a ConfirmPayment the order refuses (cancelled meanwhile), the rejection is an input and the money is refunded once', async () => {
    // pick an order whose shard differs from its payment's, so the order's queue can be held
    const id = ['op-refused-1', 'op-refused-2', 'op-refused-3', 'op-refused-4'].find(
      (candidate) =>
        shardFor('order', candidate, path.config.shards) !==
        shardFor('payment', candidate, path.config.shards),
    ) as string;
    await send(placeOrder(id));
    await until('order', id, 'OrderPaymentInitiated');
    await provider(id, 'AuthorizePayment', { authorizationCode: 'A-3' });
    const orderQueue = new Queue(shardQueueName(shardFor('order', id, path.config.shards)), {
      connection: { url: path.config.redisUrl },
      prefix: path.config.queuePrefix,
    });
    await orderQueue.pause();
    await path.client.send({
      aggregateType: 'order',
      aggregateId: id,
      type: 'CancelOrder',
      payload: { reason: 'changed my mind' },
    });
    await provider(id, 'CapturePayment');
    await until('order-payment', id, 'PaymentCapturedHandled');
    await orderQueue.resume();
    await orderQueue.close();

    await until('order-payment', id, 'CommandRejectedHandled');
    await until('payment', id, 'PaymentRefunded');
    const history = await stream('order-payment', id);
    const rejection = history.find((event) => event.type === 'CommandRejectedHandled');
    expect(rejection?.data).toMatchObject({
      input: { type: 'CommandRejected', data: { commandType: 'ConfirmPayment', code: 'INVALID_TRANSITION' } },
    });
    await until('order-payment', id, 'OrderCancelledHandled');
    const refunds = await query<{ n: string }>(
      path.db.orm.em.getKnex(),
      `select count(*) as n from es_commands where stream_type = 'payment' and stream_id = ? and command_type = 'RefundPayment'`,
      [id],
    );
    expect(Number(refunds[0]?.n)).toBe(1);
    expect(types(await stream('order', id))).not.toContain('OrderPaid');
  });
});
