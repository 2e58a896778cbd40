import { correlationStory, type RecordedEvent } from 'chronicle-runtime';
import {
  createInMemoryRuntime,
  createTestClock,
  type InMemoryRuntime,
  type TestClock,
} from 'chronicle-runtime/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregates, createOrderPayment } from '../index.js';
import { placeOrder } from '../order/orderSpecFixtures.js';
import { PAYMENT_TIMEOUT } from './machine.js';
import { endsOf, flowOutcome, inMemoryFlowDriver, orderPaymentFlows, runFlow } from './orderPaymentFlows.js';

const TIMEOUT_MS = 900_000;
const start = '2025-01-01T12:00:00.000Z';
const place = (id: string) => ({
  aggregateType: 'order',
  aggregateId: id,
  type: 'PlaceOrder',
  payload: placeOrder,
});
const toPayment = (id: string, type: string, payload: object = {}) => ({
  aggregateType: 'payment',
  aggregateId: id,
  type,
  payload,
});
const types = (events: readonly RecordedEvent[]) => events.map((event) => event.type);

describe('order-payment on the in-memory runtime', () => {
  let clock: TestClock;
  let runtime: InMemoryRuntime;
  beforeEach(() => {
    clock = createTestClock(start);
    runtime = createInMemoryRuntime({
      aggregates,
      processManagers: [createOrderPayment({ paymentTimeoutMs: TIMEOUT_MS })],
      clock,
    });
  });
  afterEach(() => {
    runtime.close();
  });

  describe('the flows the pods run (orderPaymentFlows), in milliseconds', () => {
    for (const flow of orderPaymentFlows()) {
      it(flow.name, async () => {
        const driver = inMemoryFlowDriver(runtime, TIMEOUT_MS);
        await runFlow(driver, flow);
        expect(endsOf(await flowOutcome(driver, flow))).toEqual(flow.ends);
      });
    }
  });

  it('given an order placed, payment X is requested at once, caused by the placement, and the timeout waits on the clock', async () => {
    const placed = await runtime.send(place('o-1'));
    if (placed.status !== 'accepted') throw new Error(placed.message);
    const [orderPlaced] = placed.events;
    expect(types(await runtime.events('payment', 'o-1'))).toEqual(['PaymentRequested']);
    expect(types(await runtime.events('order', 'o-1'))).toEqual(['OrderPlaced', 'OrderPaymentInitiated']);

    const [requested] = await runtime.events('payment', 'o-1');
    expect(await runtime.store.findCommand(requested?.metadata.commandId ?? '')).toMatchObject({
      type: 'RequestPayment',
      causationId: orderPlaced?.eventId,
      correlationId: orderPlaced?.metadata.correlationId,
      issuedBy: 'process-manager:order-payment',
    });
    const story = await correlationStory(runtime.store, orderPlaced?.metadata.correlationId ?? '');
    if (story.status !== 'ok') throw new Error(story.message);
    // every step after its cause (siblings are ordered by time, which stands still here)
    const line = (step: (typeof story.data)[number]) => `${step.kind} ${step.aggregateType} ${step.type}`;
    expect(story.data.map(line).sort()).toEqual(
      [
        'command order PlaceOrder',
        'event order OrderPlaced',
        'event order-payment OrderPlacedHandled',
        'command payment RequestPayment',
        'event payment PaymentRequested',
        'event order-payment PaymentRequestedHandled',
        'command order InitiatePayment',
        'event order OrderPaymentInitiated',
      ].sort(),
    );
    const seen = new Set<string>();
    for (const step of story.data) {
      if (step.causationId && step.causationId !== step.id)
        expect(seen, line(step)).toContain(step.causationId);
      seen.add(step.id);
    }

    await clock.advance(TIMEOUT_MS - 1);
    expect((await runtime.state('order', 'o-1')).value).not.toBe('cancelled');
    await clock.advance(1);
    expect(await runtime.state('order', 'o-1')).toMatchObject({
      value: 'cancelled',
      context: { cancellationReason: PAYMENT_TIMEOUT },
    });
    expect((await runtime.state('order-payment', 'o-1')).value).toBe('cancelled');
    // the deadline fired at its own time: the cancellation is recorded then
    expect((await runtime.events('order', 'o-1')).at(-1)?.recordedAt).toBe(
      new Date(new Date(start).getTime() + TIMEOUT_MS).toISOString(),
    );
  });

  it('fires deadlines in time order, each at its own time, across instances', async () => {
    await runtime.send(place('o-early'));
    await clock.advance(60_000);
    await runtime.send(place('o-late'));
    await clock.advance(TIMEOUT_MS - 60_000);
    expect((await runtime.state('order', 'o-early')).value).toBe('cancelled');
    expect((await runtime.state('order', 'o-late')).value).not.toBe('cancelled');
    await clock.advance(60_000);
    const cancelledAt = async (id: string) => (await runtime.events('order', id)).at(-1);
    const [early, late] = [await cancelledAt('o-early'), await cancelledAt('o-late')];
    expect([early?.type, late?.type]).toEqual(['OrderCancelled', 'OrderCancelled']);
    expect(new Date(late?.recordedAt ?? 0).getTime() - new Date(early?.recordedAt ?? 0).getTime()).toBe(
      60_000,
    );
    expect(early?.globalPosition).toBeLessThan(late?.globalPosition ?? 0);
  });

  it('given a refused ConfirmPayment, the rejection is an input of the instance and the capture is refunded with its code', async () => {
    await runtime.send(place('o-2'));
    await runtime.send(toPayment('o-2', 'AuthorizePayment', { authorizationCode: 'A-1' }));
    await runtime.send({
      aggregateType: 'order',
      aggregateId: 'o-2',
      type: 'FailPayment',
      payload: { reason: 'gave up' },
    });
    await runtime.send(toPayment('o-2', 'CapturePayment'));
    const instance = await runtime.events('order-payment', 'o-2');
    expect(instance.at(-1)).toMatchObject({
      type: 'CommandRejectedHandled',
      data: {
        input: {
          type: 'CommandRejected',
          data: { commandType: 'ConfirmPayment', code: 'INVALID_TRANSITION', aggregateType: 'order' },
        },
        outputs: [{ kind: 'command', type: 'RefundPayment', payload: { amount: placeOrder.totalPrice } }],
      },
    });
    expect((await runtime.events('payment', 'o-2')).at(-1)).toMatchObject({
      type: 'PaymentRefunded',
      data: { amount: placeOrder.totalPrice, reason: 'order refused payment: INVALID_TRANSITION' },
    });
    expect((await runtime.state('order-payment', 'o-2')).value).toBe('refunded');
  });

  it('given a capture and a cancellation before the process manager heard of either, it refunds once (settle: false sets up the race)', async () => {
    await runtime.send(place('o-3'));
    await runtime.send(toPayment('o-3', 'AuthorizePayment', { authorizationCode: 'A-2' }));
    await runtime.send(toPayment('o-3', 'CapturePayment'), { settle: false });
    await runtime.send(
      {
        aggregateType: 'order',
        aggregateId: 'o-3',
        type: 'CancelOrder',
        payload: { reason: 'changed my mind' },
      },
      { settle: false },
    );
    expect(types(await runtime.events('order-payment', 'o-3'))).toEqual([
      'OrderPlacedHandled',
      'PaymentRequestedHandled',
    ]);
    await runtime.settle();
    // in commit order: the capture (ConfirmPayment sent), then the cancellation (refund); the
    // order refuses the ConfirmPayment, an input the refunded instance records without effect
    expect(types(await runtime.events('order-payment', 'o-3'))).toEqual([
      'OrderPlacedHandled',
      'PaymentRequestedHandled',
      'PaymentCapturedHandled',
      'OrderCancelledHandled',
      'CommandRejectedHandled',
    ]);
    const refunds = (await runtime.events('payment', 'o-3')).filter(
      (event) => event.type === 'PaymentRefunded',
    );
    expect(refunds.map((event) => event.data)).toEqual([
      { amount: placeOrder.totalPrice, reason: 'changed my mind' },
    ]);
    expect(types(await runtime.events('order', 'o-3'))).not.toContain('OrderPaid');
  });

  it('given a version-1 OrderPlaced stored by an older release, reads it with currency EUR and the saga runs on it', async () => {
    runtime.store.insertStored([
      {
        streamType: 'order',
        streamId: 'o-old',
        type: 'OrderPlaced',
        schemaVersion: 1,
        data: { ...placeOrder, placedAt: '2024-06-01T10:00:00.000Z' },
        metadata: { commandId: 'old-place', correlationId: 'old-place', causationId: 'old-place' },
      },
    ]);
    const [stored] = await runtime.events('order', 'o-old');
    expect(stored).toMatchObject({
      schemaVersion: 2,
      data: { currency: 'EUR', totalPrice: placeOrder.totalPrice },
    });
    await runtime.settle(); // order-payment hears of it as of any placement
    expect((await runtime.events('payment', 'o-old')).map((event) => event.data)).toMatchObject([
      { orderId: 'o-old', amount: placeOrder.totalPrice, method: placeOrder.paymentMethod },
    ]);
    expect(await runtime.state('order', 'o-old')).toMatchObject({
      context: { details: { currency: 'EUR' }, paymentStatus: 'PENDING' },
      version: 2,
    });
  });

  it('sends one RequestPayment per order however often the placement is resent', async () => {
    const request = { ...place('o-4'), commandId: 'place-o-4' };
    const first = await runtime.send(request);
    expect(await runtime.send(request)).toEqual(first);
    expect(
      await runtime.send({ ...request, aggregateType: 'payment', type: 'RequestPayment' }),
    ).toMatchObject({
      status: 'rejected',
      code: 'COMMAND_ID_REUSED',
    });
    const { commands } = await runtime.store.readCorrelation('place-o-4');
    expect(commands.filter((command) => command.type === 'RequestPayment')).toHaveLength(1);
    expect(types(await runtime.events('payment', 'o-4'))).toEqual(['PaymentRequested']);
  });
});
