import { isDeepStrictEqual } from 'node:util';
import type { CommandRequest, CommandResult, RecordedEvent } from 'chronicle-runtime';
import type { InMemoryRuntime } from 'chronicle-runtime/testing';
import { placeOrder } from '../order/orderSpecFixtures.js';
import { PAYMENT_TIMEOUT } from './machine.js';

/**
 * The order–payment flows as data, run by the in-memory runtime (actors/orderPayment, unit) and by
 * the real pods (test/processManagers/orderPaymentFlows.int.spec.ts): the same steps on both must
 * give the same events. Each step waits for what the next one needs, so the outcome does not
 * depend on how the pods interleave their work.
 */
export type FlowStep =
  /** Send a command and wait for its answer: accepted (default), rejected with a code, or the same answer as before. */
  | {
      readonly send: CommandRequest;
      readonly answer?: 'accepted' | 'repeated' | { readonly rejected: string };
    }
  /** Wait until the stream has this event: in memory it must be there already (the runtime settled). */
  | { readonly awaits: readonly [streamType: string, streamId: string, eventType: string] }
  /** The payment timeout passes: the test clock moves past it in memory; the pods wait for the deadline. */
  | { readonly timeout: true };

export type Flow = {
  readonly name: string;
  readonly orderId: string;
  readonly steps: readonly FlowStep[];
  /** The event types each stream ends with: order X, payment X and the process manager's instance X. */
  readonly ends: {
    readonly order: readonly string[];
    readonly payment: readonly string[];
    readonly 'order-payment': readonly string[];
  };
};

/** How a flow is run: the in-memory runtime or the pods, behind the same four operations. */
export type FlowDriver = {
  send(request: CommandRequest): Promise<CommandResult>;
  awaitEvent(streamType: string, streamId: string, eventType: string): Promise<void>;
  passTimeout(): Promise<void>;
  events(streamType: string, streamId: string): Promise<readonly RecordedEvent[]>;
};

/** The in-memory runtime as a flow driver: each send settles, the timeout (its order-payment's) is the test clock's. */
export const inMemoryFlowDriver = (runtime: InMemoryRuntime, paymentTimeoutMs: number): FlowDriver => ({
  send: (request) => runtime.send(request),
  awaitEvent: async (streamType, streamId, eventType) => {
    const events = await runtime.events(streamType, streamId);
    if (!events.some((event) => event.type === eventType))
      throw new Error(
        `${streamType}/${streamId} has no ${eventType} once settled: ${events.map((e) => e.type).join(', ')}`,
      );
  },
  passTimeout: () => runtime.clock.advance(paymentTimeoutMs),
  events: (streamType, streamId) => runtime.events(streamType, streamId),
});

const place = (id: string, commandId?: string): CommandRequest => ({
  aggregateType: 'order',
  aggregateId: id,
  type: 'PlaceOrder',
  payload: placeOrder,
  ...(commandId ? { commandId } : {}),
});
const toOrder = (id: string, type: string, payload: object = {}): CommandRequest => ({
  aggregateType: 'order',
  aggregateId: id,
  type,
  payload,
});
const toPayment = (id: string, type: string, payload: object = {}): CommandRequest => ({
  aggregateType: 'payment',
  aggregateId: id,
  type,
  payload,
});
const initiated = (id: string): FlowStep => ({ awaits: ['order', id, 'OrderPaymentInitiated'] });
const authorize = (id: string): FlowStep => ({
  send: toPayment(id, 'AuthorizePayment', { authorizationCode: `auth-${id}` }),
});

/** Every flow, each on its own order id (prefix them to run a set twice in one store). */
export const orderPaymentFlows = (prefix = 'flow'): readonly Flow[] => {
  const id = (name: string) => `${prefix}-${name}`;
  const paid = id('paid');
  const declined = id('declined');
  const late = id('timeout');
  const lateCapture = id('late-capture');
  const cancelled = id('cancel-after-capture');
  const refused = id('refused-confirm');
  const resent = id('resent');
  return [
    {
      name: 'paid: a captured payment pays the order and cancels the timeout',
      orderId: paid,
      steps: [
        { send: place(paid) },
        initiated(paid),
        authorize(paid),
        { send: toPayment(paid, 'CapturePayment') },
        { awaits: ['order', paid, 'OrderPaid'] },
        { timeout: true },
      ],
      ends: {
        order: ['OrderPlaced', 'OrderPaymentInitiated', 'OrderPaid'],
        payment: ['PaymentRequested', 'PaymentAuthorized', 'PaymentCaptured'],
        'order-payment': ['OrderPlacedHandled', 'PaymentRequestedHandled', 'PaymentCapturedHandled'],
      },
    },
    {
      name: 'declined: the order fails with the decline reason and is not cancelled by the timeout',
      orderId: declined,
      steps: [
        { send: place(declined) },
        initiated(declined),
        { send: toPayment(declined, 'DeclinePayment', { reason: 'insufficient funds' }) },
        { awaits: ['order', declined, 'OrderPaymentFailed'] },
        { timeout: true },
      ],
      ends: {
        order: ['OrderPlaced', 'OrderPaymentInitiated', 'OrderPaymentFailed'],
        payment: ['PaymentRequested', 'PaymentDeclined'],
        'order-payment': ['OrderPlacedHandled', 'PaymentRequestedHandled', 'PaymentDeclinedHandled'],
      },
    },
    {
      name: `timeout: no capture in time cancels the order (${PAYMENT_TIMEOUT})`,
      orderId: late,
      steps: [
        { send: place(late) },
        initiated(late),
        authorize(late),
        { timeout: true },
        { awaits: ['order', late, 'OrderCancelled'] },
      ],
      ends: {
        order: ['OrderPlaced', 'OrderPaymentInitiated', 'OrderCancelled'],
        payment: ['PaymentRequested', 'PaymentAuthorized'],
        'order-payment': [
          'OrderPlacedHandled',
          'PaymentRequestedHandled',
          'PaymentTimedOutHandled',
          'OrderCancelledHandled',
        ],
      },
    },
    {
      name: 'capture after the timeout: the money is refunded, the order stays cancelled',
      orderId: lateCapture,
      steps: [
        { send: place(lateCapture) },
        initiated(lateCapture),
        authorize(lateCapture),
        { timeout: true },
        { awaits: ['order', lateCapture, 'OrderCancelled'] },
        { send: toPayment(lateCapture, 'CapturePayment') },
        { awaits: ['payment', lateCapture, 'PaymentRefunded'] },
      ],
      ends: {
        order: ['OrderPlaced', 'OrderPaymentInitiated', 'OrderCancelled'],
        payment: ['PaymentRequested', 'PaymentAuthorized', 'PaymentCaptured', 'PaymentRefunded'],
        'order-payment': [
          'OrderPlacedHandled',
          'PaymentRequestedHandled',
          'PaymentTimedOutHandled',
          'OrderCancelledHandled',
          'PaymentCapturedHandled',
        ],
      },
    },
    {
      name: 'cancel after capture: the paid order cancelled by the customer is refunded',
      orderId: cancelled,
      steps: [
        { send: place(cancelled) },
        initiated(cancelled),
        authorize(cancelled),
        { send: toPayment(cancelled, 'CapturePayment') },
        { awaits: ['order', cancelled, 'OrderPaid'] },
        { send: toOrder(cancelled, 'CancelOrder', { reason: 'changed my mind' }) },
        { awaits: ['payment', cancelled, 'PaymentRefunded'] },
      ],
      ends: {
        order: ['OrderPlaced', 'OrderPaymentInitiated', 'OrderPaid', 'OrderCancelled'],
        payment: ['PaymentRequested', 'PaymentAuthorized', 'PaymentCaptured', 'PaymentRefunded'],
        'order-payment': [
          'OrderPlacedHandled',
          'PaymentRequestedHandled',
          'PaymentCapturedHandled',
          'OrderCancelledHandled',
        ],
      },
    },
    {
      name: 'a rejection is an input: ConfirmPayment refused by an order whose payment failed, the capture is refunded',
      orderId: refused,
      steps: [
        { send: place(refused) },
        initiated(refused),
        authorize(refused),
        // the order's payment fails by another way than the payment aggregate (the customer gave up)
        { send: toOrder(refused, 'FailPayment', { reason: 'customer gave up' }) },
        { send: toPayment(refused, 'CapturePayment') },
        { awaits: ['payment', refused, 'PaymentRefunded'] },
      ],
      ends: {
        order: ['OrderPlaced', 'OrderPaymentInitiated', 'OrderPaymentFailed'],
        payment: ['PaymentRequested', 'PaymentAuthorized', 'PaymentCaptured', 'PaymentRefunded'],
        'order-payment': [
          'OrderPlacedHandled',
          'PaymentRequestedHandled',
          'PaymentCapturedHandled',
          'CommandRejectedHandled',
        ],
      },
    },
    {
      name: 'a resent PlaceOrder is answered once; its id with another payload is COMMAND_ID_REUSED',
      orderId: resent,
      steps: [
        { send: place(resent, `${resent}-place`) },
        { send: place(resent, `${resent}-place`), answer: 'repeated' },
        {
          send: { ...place(resent, `${resent}-place`), payload: { ...placeOrder, quantity: 3 } },
          answer: { rejected: 'COMMAND_ID_REUSED' },
        },
        initiated(resent),
        { send: toPayment(resent, 'DeclinePayment', { reason: 'card expired' }) },
        { awaits: ['order', resent, 'OrderPaymentFailed'] },
      ],
      ends: {
        order: ['OrderPlaced', 'OrderPaymentInitiated', 'OrderPaymentFailed'],
        payment: ['PaymentRequested', 'PaymentDeclined'],
        'order-payment': ['OrderPlacedHandled', 'PaymentRequestedHandled', 'PaymentDeclinedHandled'],
      },
    },
  ];
};

const describeAnswer = (result: CommandResult) =>
  result.status === 'accepted' ? 'accepted' : `rejected ${result.code}: ${result.message}`;

/** Runs a flow's steps in order; a step whose answer is not the one expected throws. */
export const runFlow = async (driver: FlowDriver, flow: Flow): Promise<void> => {
  const answers = new Map<string, CommandResult>();
  for (const [index, step] of flow.steps.entries()) {
    const where = `${flow.name}, step ${index + 1}`;
    if ('timeout' in step) await driver.passTimeout();
    else if ('awaits' in step) await driver.awaitEvent(...step.awaits);
    else {
      const result = await driver.send(step.send);
      const expected = step.answer ?? 'accepted';
      const first = step.send.commandId ? answers.get(step.send.commandId) : undefined;
      const ok =
        expected === 'accepted'
          ? result.status === 'accepted'
          : expected === 'repeated'
            ? // the same answer, field for field (a reply and a resend's read-back may order them otherwise)
              isDeepStrictEqual(result, first)
            : result.status === 'rejected' && result.code === expected.rejected;
      if (!ok)
        throw new Error(
          `${where}: ${step.send.type} was ${describeAnswer(result)}, expected ${JSON.stringify(expected)}`,
        );
      if (step.send.commandId && !first) answers.set(step.send.commandId, result);
    }
  }
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Times differ from run to run (the clock is the test's in memory, the machine's on the pods). */
const withoutTimes = (value: unknown): unknown => {
  if (typeof value === 'string') return ISO_TIME.test(value) ? '<time>' : value;
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, withoutTimes(field)]));
  return value;
};

/**
 * What a flow left, to compare across runtimes: order X's and payment X's events (type and data,
 * in order, times masked) and the types of the process manager's inputs (their data holds ids
 * derived from event ids, which differ from run to run).
 */
export const flowOutcome = async (driver: FlowDriver, flow: Flow) => {
  const of = (streamType: string) => driver.events(streamType, flow.orderId);
  return {
    order: (await of('order')).map((event) => ({ type: event.type, data: withoutTimes(event.data) })),
    payment: (await of('payment')).map((event) => ({ type: event.type, data: withoutTimes(event.data) })),
    'order-payment': (await of('order-payment')).map((event) => event.type),
  };
};

/** The event types of an outcome, stream by stream: what a flow's `ends` names. */
export const endsOf = (outcome: Awaited<ReturnType<typeof flowOutcome>>): Flow['ends'] => ({
  order: outcome.order.map((event) => event.type),
  payment: outcome.payment.map((event) => event.type),
  'order-payment': outcome['order-payment'],
});
