import { type Aggregate, AggregateInstance } from 'chronicle-runtime';
import { rejectionOf, specFor } from 'chronicle-runtime/testing';
import { describe, expect, it } from 'vitest';
import { getInitialSnapshot, transition } from 'xstate';
import { order, orderPayment, payment, product, user } from './index.js';
import {
  cancelled,
  delivered,
  failed,
  initiated,
  inTransit,
  paid,
  placed,
} from './order/orderSpecFixtures.js';

type Sample = { readonly type: string; readonly data: unknown };

/** Events of each aggregate, with data that steers its guards both ways. */
const samples: ReadonlyArray<readonly [Aggregate, readonly Sample[]]> = [
  [
    order,
    [
      placed,
      { ...placed, data: { ...placed.data, totalPrice: 12, currency: 'USD' } },
      initiated,
      paid,
      failed,
      { type: 'OrderPaymentFailed', data: { reason: 'expired card' } },
      inTransit,
      delivered,
      cancelled,
      { type: 'OrderCancelled', data: { reason: 'out of stock' } },
    ],
  ],
  [
    payment,
    [
      {
        type: 'PaymentRequested',
        data: {
          orderId: 'o-1',
          amount: 100,
          method: 'CARD',
          currency: 'EUR',
          requestedAt: '2025-01-01T09:00:00.000Z',
        },
      },
      { type: 'PaymentAuthorized', data: { authorizationCode: 'A1' } },
      { type: 'PaymentDeclined', data: { reason: 'insufficient funds' } },
      { type: 'PaymentCaptured', data: { amount: 100 } },
      { type: 'PaymentCaptured', data: { amount: 60 } },
      { type: 'PaymentRefunded', data: { amount: 30, reason: 'damaged' } },
      { type: 'PaymentRefunded', data: { amount: 100, reason: 'returned' } },
    ],
  ],
  [
    product,
    [
      {
        type: 'ProductCreated',
        data: { vendorId: 'v-1', name: 'Lamp', price: 20, createdAt: '2025-01-01T09:00:00.000Z' },
      },
      { type: 'ProductPriceChanged', data: { price: 25, previousPrice: 20 } },
      { type: 'ProductPriceChanged', data: { price: 18, previousPrice: 25 } },
      { type: 'ProductDiscontinued', data: { reason: 'old', discontinuedAt: '2025-02-01T09:00:00.000Z' } },
    ],
  ],
  [
    user,
    [
      {
        type: 'UserRegistered',
        data: { email: 'a@example.com', name: 'Ada', registeredAt: '2025-01-01T09:00:00.000Z' },
      },
      { type: 'UserEmailChanged', data: { email: 'b@example.com', previousEmail: 'a@example.com' } },
      { type: 'UserDeactivated', data: { reason: 'asked', deactivatedAt: '2025-02-01T09:00:00.000Z' } },
    ],
  ],
];

/** A small seeded generator (mulberry32): the same histories on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/**
 * Histories as the domain's flows produce them (mostly events the state accepts, as decide only
 * appends those), with some events it ignores mixed in, from a seeded generator.
 */
const histories = (aggregate: Aggregate, events: readonly Sample[], count: number, seed: number) => {
  const next = random(seed);
  const pick = <T>(from: readonly T[]) => from[Math.floor(next() * from.length)] as T;
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 40);
    let state = getInitialSnapshot(aggregate.machine);
    const history: Sample[] = [];
    for (let i = 0; i < length; i++) {
      const accepted = events.filter((event) => state.can(event as never));
      const event = accepted.length > 0 && next() < 0.8 ? pick(accepted) : pick(events);
      history.push(event);
      [state] = transition(aggregate.machine, state, event as never);
    }
    return history;
  });
};

/** The reference: every event through XState's exported pure `transition()`, one at a time. */
const foldedByXState = (aggregate: Aggregate, history: readonly Sample[]) => {
  let state = getInitialSnapshot(aggregate.machine);
  for (const event of history) {
    if (state.status !== 'active') break;
    [state] = transition(aggregate.machine, state, event as never);
  }
  return { value: state.value, context: state.context, status: state.status };
};

const versioned = (history: readonly Sample[]) => history.map((event, i) => ({ ...event, version: i + 1 }));

describe('the fast fold (startFold) against XState', () => {
  for (const [aggregate, events] of samples) {
    it(`reaches XState's state for 200 histories of ${aggregate.type}`, { timeout: 60_000 }, () => {
      for (const history of histories(aggregate, events, 200, aggregate.type.length)) {
        const live = AggregateInstance.hydrate(aggregate, 'a-1', undefined, versioned(history));
        const { value, context, status } = live.snapshot;
        expect({ value, context, status }).toEqual(foldedByXState(aggregate, history));
      }
    });

    it(`continues from a snapshot and in pieces to the same state (${aggregate.type})`, {
      timeout: 60_000,
    }, () => {
      for (const history of histories(aggregate, events, 60, aggregate.type.length + 7)) {
        const cut = Math.floor(history.length / 2);
        const first = AggregateInstance.hydrate(
          aggregate,
          'a-1',
          undefined,
          versioned(history).slice(0, cut),
        );
        const resumed = AggregateInstance.hydrate(
          aggregate,
          'a-1',
          { state: JSON.parse(JSON.stringify(first.persisted())), version: first.version },
          versioned(history).slice(cut, cut + 3),
        );
        resumed.apply(versioned(history).slice(cut + 3));
        const { value, context, status } = resumed.snapshot;
        expect({ value, context, status }).toEqual(foldedByXState(aggregate, history));
      }
    });
  }
});

/** order-payment's inputs, with data that steers its guard both ways. */
const processInputs: readonly Sample[] = [
  placed,
  { type: 'PaymentRequested', data: {} },
  { type: 'PaymentCaptured', data: { amount: 100 } },
  { type: 'PaymentDeclined', data: { reason: 'insufficient funds' } },
  { type: 'PaymentTimedOut', data: {} },
  { type: 'OrderCancelled', data: { reason: 'changed my mind' } },
  rejectionOf({ aggregateType: 'order', aggregateId: 'o-1', commandType: 'ConfirmPayment', code: 'X' }),
  rejectionOf({ aggregateType: 'payment', aggregateId: 'o-1', commandType: 'RefundPayment', code: 'X' }),
];

describe("a process manager's fold (decideProcessInput, then the recorded inputs folded) against XState", () => {
  it("reaches XState's state for 200 histories of order-payment", { timeout: 60_000 }, () => {
    const next = random(42);
    const pick = <T>(from: readonly T[]) => from[Math.floor(next() * from.length)] as T;
    for (let run = 0; run < 200; run++) {
      // an instance starts with an input it accepts; later ones may be refused (recorded, no change)
      const history: Sample[] = [placed];
      for (let i = Math.floor(next() * 12); i > 0; i--) history.push(pick(processInputs));
      // as the runtime routes them: from the key's streams
      for (const [i, input] of history.entries())
        history[i] = { ...input, source: { streamId: 'o-1' } } as Sample;
      const inputs = history as never[];
      const last = inputs.at(-1) as never;
      const { value, context } = foldedByXState(
        { machine: orderPayment.machine } as unknown as Aggregate,
        history,
      );
      specFor(orderPayment)
        .given(inputs.slice(0, -1))
        .when(last)
        .thenState({ value, context: context as never });
    }
  });
});
