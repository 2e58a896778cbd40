import { specDefaults, specFor } from 'chronicle-runtime/testing';
import { describe, expect, it } from 'vitest';
import { order } from './index.js';
import { failed, history, initiated, paid, placeOrder } from './orderSpecFixtures.js';

const spec = specFor(order);

describe('order: PlaceOrder', () => {
  it('places an order, stamped with the time the command was issued', () => {
    spec
      .when({ type: 'PlaceOrder', data: placeOrder })
      .then([
        { type: 'OrderPlaced', data: { ...placeOrder, currency: 'EUR', placedAt: specDefaults.issuedAt } },
      ])
      .thenState({
        value: { placed: { payment: 'pending', shipping: 'waitingForPayment' } },
        context: {
          details: { ...placeOrder, currency: 'EUR', placedAt: specDefaults.issuedAt },
          paymentStatus: 'PENDING',
          shippingStatus: 'WAITING_FOR_PAYMENT',
        },
      });
  });

  it('takes its time from the envelope only, so deciding twice gives the same events', () => {
    const issuedAt = '2030-06-15T08:30:00.000Z';
    const when = () => spec.when({ type: 'PlaceOrder', data: placeOrder, envelope: { issuedAt } });
    when().then([{ type: 'OrderPlaced', data: { ...placeOrder, currency: 'EUR', placedAt: issuedAt } }]);
    expect(when().decision).toEqual(when().decision);
  });

  it('places an order in the currency given (ISO 4217), euros when none is', () => {
    spec
      .when({ type: 'PlaceOrder', data: { ...placeOrder, currency: 'USD' } })
      .then([
        { type: 'OrderPlaced', data: { ...placeOrder, currency: 'USD', placedAt: specDefaults.issuedAt } },
      ]);
  });

  it.each(['usd', 'EURO', 'XYZ', ''])('is rejected with VALIDATION for the currency %j', (currency) => {
    spec
      .when({ type: 'PlaceOrder', data: { ...placeOrder, currency } })
      .thenRejected('VALIDATION', /currency/);
  });

  it('accepts a free order (total price 0)', () => {
    spec
      .when({ type: 'PlaceOrder', data: { ...placeOrder, totalPrice: 0 } })
      .thenState({ context: { paymentStatus: 'PENDING' } });
  });

  it('is rejected once the order is placed, naming the state and the event', () => {
    spec
      .given(history.placed)
      .when({ type: 'PlaceOrder', data: placeOrder })
      .thenRejected(
        'INVALID_TRANSITION',
        'order in state placed.payment.pending, placed.shipping.waitingForPayment does not accept OrderPlaced',
      );
    expect(
      spec
        .given(history.placed)
        .when({ type: 'PlaceOrder', data: placeOrder })
        .thenRejected('INVALID_TRANSITION').details,
    ).toEqual({
      state: { placed: { payment: 'pending', shipping: 'waitingForPayment' } },
      event: 'OrderPlaced',
    });
  });

  it.each([
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: -1 }],
    ['quantity', { quantity: 1.5 }],
    ['quantity', { quantity: '2' }],
    ['totalPrice', { totalPrice: -0.01 }],
    // past the domain's bounds (NaN never gets here: checkEnvelope refuses what JSON cannot carry)
    ['quantity', { quantity: 1_000_001 }],
    ['totalPrice', { totalPrice: 1e308 }],
    ['paymentMethod', { paymentMethod: 'CASH' }],
    ['customerId', { customerId: '' }],
    ['customerId', { customerId: undefined }],
    ['productId', { productId: 42 }],
    ['vendorId', { vendorId: null }],
  ])('is rejected when %s is invalid (%o), naming the field', (field, change) => {
    const rejection = spec
      .when({ type: 'PlaceOrder', data: { ...placeOrder, ...change } })
      .thenRejected('VALIDATION', `${field}:`);
    expect(rejection.details).toEqual({ issues: [expect.objectContaining({ path: field })] });
  });

  it('is rejected with an unknown field, naming it', () => {
    spec
      .when({ type: 'PlaceOrder', data: { ...placeOrder, discount: 10 } })
      .thenRejected('VALIDATION', 'discount');
  });

  it('is rejected without a payload', () => {
    spec.when({ type: 'PlaceOrder', data: undefined }).thenRejected('VALIDATION', '(payload)');
  });

  it('names every failing field at once', () => {
    const { message } = spec
      .when({ type: 'PlaceOrder', data: { ...placeOrder, quantity: 0, paymentMethod: 'CASH' } })
      .thenRejected('VALIDATION');
    expect(message).toMatch(/quantity: .*; paymentMethod: /);
  });
});

describe('order: payment', () => {
  it('InitiatePayment starts the first attempt', () => {
    spec
      .given(history.placed)
      .when({ type: 'InitiatePayment' })
      .then([initiated])
      .thenState({
        value: { placed: { payment: 'processing', shipping: 'waitingForPayment' } },
        context: { paymentStatus: 'PENDING' },
      });
  });

  it('InitiatePayment takes an empty payload as well as none, but no unknown field', () => {
    spec.given(history.placed).when({ type: 'InitiatePayment', data: {} }).then([initiated]);
    spec
      .given(history.placed)
      .when({ type: 'InitiatePayment', data: { amount: 1 } })
      .thenRejected('VALIDATION', 'amount');
  });

  it('InitiatePayment is rejected while an attempt is processing', () => {
    spec
      .given(history.processing)
      .when({ type: 'InitiatePayment' })
      .thenRejected('INVALID_TRANSITION', 'placed.payment.processing');
  });

  it('ConfirmPayment pays the order, which then waits for shipment', () => {
    spec
      .given(history.processing)
      .when({ type: 'ConfirmPayment' })
      .then([paid])
      .thenState({
        value: { placed: { payment: 'paid', shipping: 'waitingForShipment' } },
        context: { paymentStatus: 'PAID', shippingStatus: 'WAITING_FOR_SHIPMENT' },
      });
  });

  it('ConfirmPayment is rejected before a payment was initiated', () => {
    spec
      .given(history.placed)
      .when({ type: 'ConfirmPayment' })
      .thenRejected('INVALID_TRANSITION', 'does not accept OrderPaid');
  });

  it("FailPayment fails the processing attempt; why is in its event (the decline itself is the payment aggregate's)", () => {
    spec
      .given(history.processing)
      .when({ type: 'FailPayment', data: { reason: 'card declined' } })
      .then([failed])
      .thenState({
        value: { placed: { payment: 'failed', shipping: 'waitingForPayment' } },
        context: {
          paymentStatus: 'FAILED',
          shippingStatus: 'WAITING_FOR_PAYMENT',
        },
      });
  });

  it('FailPayment is rejected when no attempt is processing', () => {
    spec
      .given(history.placed)
      .when({ type: 'FailPayment', data: { reason: 'x' } })
      .thenRejected('INVALID_TRANSITION', 'placed.payment.pending');
    spec
      .given(history.failed)
      .when({ type: 'FailPayment', data: { reason: 'x' } })
      .thenRejected('INVALID_TRANSITION', 'placed.payment.failed');
  });

  it('FailPayment needs a reason', () => {
    spec.given(history.processing).when({ type: 'FailPayment' }).thenRejected('VALIDATION', 'reason');
    spec
      .given(history.processing)
      .when({ type: 'FailPayment', data: { reason: '' } })
      .thenRejected('VALIDATION', 'reason');
  });

  it('a failed payment can be retried: a new attempt, pending again', () => {
    spec
      .given(history.failed)
      .when({ type: 'InitiatePayment' })
      .then([initiated])
      .thenState({
        value: { placed: { payment: 'processing', shipping: 'waitingForPayment' } },
        context: { paymentStatus: 'PENDING' },
      });
    spec
      .given([...history.failed, initiated])
      .when({ type: 'ConfirmPayment' })
      .then([paid])
      .thenState({
        value: { placed: { payment: 'paid', shipping: 'waitingForShipment' } },
        context: { paymentStatus: 'PAID' },
      });
  });

  it('ConfirmPayment is rejected after a failure until the payment is retried', () => {
    spec
      .given(history.failed)
      .when({ type: 'ConfirmPayment' })
      .thenRejected('INVALID_TRANSITION', 'placed.payment.failed');
  });

  it.each([
    ['InitiatePayment', {}],
    ['ConfirmPayment', {}],
    ['FailPayment', { reason: 'late' }],
  ])('%s is rejected once the order is paid', (type, data) => {
    spec.given(history.paid).when({ type, data }).thenRejected('INVALID_TRANSITION', 'placed.payment.paid');
  });
});
