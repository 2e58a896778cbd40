import { rejectionOf, specFor } from 'chronicle-runtime/testing';
import { describe, it } from 'vitest';
import { createOrderPayment } from './index.js';
import { PAYMENT_TIMEOUT } from './machine.js';

const id = 'spec-key-1';
const placed = {
  type: 'OrderPlaced',
  data: {
    customerId: 'c-1',
    productId: 'p-1',
    vendorId: 'v-1',
    quantity: 2,
    totalPrice: 120,
    paymentMethod: 'CARD',
    currency: 'USD',
    placedAt: '2025-01-01T11:59:00.000Z',
  },
} as const;
const requested = { type: 'PaymentRequested', data: {} } as const;
const captured = { type: 'PaymentCaptured', data: { amount: 120 } } as const;
const declined = { type: 'PaymentDeclined', data: { reason: 'insufficient funds' } } as const;
const timedOut = { type: 'PaymentTimedOut', data: {} } as const;
const cancelled = (reason: string) => ({ type: 'OrderCancelled', data: { reason } }) as const;
const toOrder = (type: string, payload: object = {}) => ({
  aggregateType: 'order',
  aggregateId: id,
  type,
  payload,
});
const refund = (reason: string) => ({
  aggregateType: 'payment',
  aggregateId: id,
  type: 'RefundPayment',
  payload: { amount: 120, reason },
});

// a deployment's own timeout, as its config would pass it
const spec = specFor(createOrderPayment({ paymentTimeoutMs: 60_000 }));

describe('order-payment', () => {
  it("requests payment X for order X, in the order's currency, and starts the timeout when the order is placed", () => {
    spec
      .when(placed)
      .thenSends([
        {
          aggregateType: 'payment',
          aggregateId: id,
          type: 'RequestPayment',
          payload: { orderId: id, amount: 120, method: 'CARD', currency: 'USD' },
        },
      ])
      .thenSchedules([{ name: PAYMENT_TIMEOUT, delayMs: 60_000, input: timedOut }])
      .thenState({ value: 'awaitingPayment' });
  });

  it('initiates the payment on the order once the payment is requested', () => {
    spec
      .given([placed])
      .when(requested)
      .thenSends([toOrder('InitiatePayment')]);
  });

  it('confirms the order and cancels the timeout when the payment is captured', () => {
    spec
      .given([placed, requested])
      .when(captured)
      .thenSends([toOrder('ConfirmPayment')])
      .thenCancels([PAYMENT_TIMEOUT])
      .thenState({ value: 'paid', context: { captured: 120 } });
  });

  it('fails the order with the decline reason, and will not cancel it later', () => {
    spec
      .given([placed, requested])
      .when(declined)
      .thenSends([toOrder('FailPayment', { reason: 'insufficient funds' })])
      .thenCancels([PAYMENT_TIMEOUT])
      .thenState({ value: 'failed' });
  });

  it('cancels the order when no capture came in time', () => {
    spec
      .given([placed, requested])
      .when(timedOut)
      .thenSends([toOrder('CancelOrder', { reason: PAYMENT_TIMEOUT })])
      .thenState({ value: 'cancelled' });
  });

  it('refunds a capture that arrives after the timeout, and does not confirm the order', () => {
    spec
      .given([placed, requested, timedOut])
      .when(captured)
      .thenSends([refund(PAYMENT_TIMEOUT)]);
  });

  it('refunds the capture when the order is cancelled after it, with the cancellation reason', () => {
    spec
      .given([placed, requested, captured])
      .when(cancelled('changed my mind'))
      .thenSends([refund('changed my mind')]);
  });

  it('given ConfirmPayment rejected by the order, compensates by refunding the capture', () => {
    spec
      .given([placed, requested, captured])
      .when(
        rejectionOf({
          aggregateType: 'order',
          aggregateId: id,
          commandType: 'ConfirmPayment',
          code: 'INVALID_TRANSITION',
        }),
      )
      .thenSends([refund('order refused payment: INVALID_TRANSITION')])
      .thenState({ value: 'refunded' });
  });

  it('refunds once: the cancellation after a compensating refund changes nothing', () => {
    const refused = rejectionOf({
      aggregateType: 'order',
      aggregateId: id,
      commandType: 'ConfirmPayment',
      code: 'INVALID_TRANSITION',
    });
    spec.given([placed, requested, captured, refused]).when(cancelled('changed my mind')).thenNothing();
  });

  it('ignores a payment event for a payment it did not request', () => {
    spec.when(captured).thenNothing().thenState({ value: 'idle' });
  });
});
