import { specDefaults, specFor } from 'chronicle/testing';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { OrderEvent } from './events.js';
import { order, orderMachine } from './index.js';

const placeOrder = {
  customerId: 'customer-1',
  productId: 'product-1',
  vendorId: 'vendor-1',
  quantity: 2,
  totalPrice: 49.9,
  paymentMethod: 'CARD',
} as const;

const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { ...placeOrder, placedAt: '2025-01-01T09:00:00.000Z' },
};
const initiated: OrderEvent = { type: 'OrderPaymentInitiated', data: {} };
const paid: OrderEvent = { type: 'OrderPaid', data: {} };
const failed: OrderEvent = { type: 'OrderPaymentFailed', data: { reason: 'card declined' } };
const inTransit: OrderEvent = { type: 'OrderShippingStatusUpdated', data: { status: 'IN_TRANSIT' } };
const delivered: OrderEvent = { type: 'OrderShippingStatusUpdated', data: { status: 'DELIVERED' } };
const cancelled: OrderEvent = { type: 'OrderCancelled', data: { reason: 'changed my mind' } };

/** Histories by the point of the lifecycle they reach. */
const history = {
  placed: [placed],
  processing: [placed, initiated],
  failed: [placed, initiated, failed],
  paid: [placed, initiated, paid],
  inTransit: [placed, initiated, paid, inTransit],
  delivered: [placed, initiated, paid, inTransit, delivered],
  cancelled: [placed, cancelled],
} satisfies Record<string, OrderEvent[]>;

const spec = specFor(order);

describe('order: PlaceOrder', () => {
  it('places an order, stamped with the time the command was issued', () => {
    spec
      .when({ type: 'PlaceOrder', data: placeOrder })
      .then([{ type: 'OrderPlaced', data: { ...placeOrder, placedAt: specDefaults.issuedAt } }])
      .thenState({
        value: { placed: { payment: 'pending', shipping: 'waitingForPayment' } },
        context: {
          details: { ...placeOrder, placedAt: specDefaults.issuedAt },
          paymentStatus: 'PENDING',
          shippingStatus: 'WAITING_FOR_PAYMENT',
          paymentAttempts: 0,
        },
      });
  });

  it('takes its time from the envelope only, so deciding twice gives the same events', () => {
    const issuedAt = '2030-06-15T08:30:00.000Z';
    const when = () => spec.when({ type: 'PlaceOrder', data: placeOrder, envelope: { issuedAt } });
    when().then([{ type: 'OrderPlaced', data: { ...placeOrder, placedAt: issuedAt } }]);
    expect(when().decision).toEqual(when().decision);
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
    ['totalPrice', { totalPrice: Number.NaN }],
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
        context: { paymentStatus: 'PENDING', paymentAttempts: 1 },
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

  it('FailPayment fails the processing attempt and records why', () => {
    spec
      .given(history.processing)
      .when({ type: 'FailPayment', data: { reason: 'card declined' } })
      .then([failed])
      .thenState({
        value: { placed: { payment: 'failed', shipping: 'waitingForPayment' } },
        context: {
          paymentStatus: 'FAILED',
          lastPaymentFailure: 'card declined',
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
        context: { paymentStatus: 'PENDING', paymentAttempts: 2 },
      });
    spec
      .given([...history.failed, initiated])
      .when({ type: 'ConfirmPayment' })
      .then([paid])
      .thenState({
        context: { paymentStatus: 'PAID', paymentAttempts: 2, lastPaymentFailure: 'card declined' },
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

describe('order: UpdateShippingStatus', () => {
  it('is rejected until the order is paid', () => {
    for (const given of [history.placed, history.processing, history.failed]) {
      spec
        .given(given)
        .when({ type: 'UpdateShippingStatus', data: { status: 'IN_TRANSIT' } })
        .thenRejected(
          'INVALID_TRANSITION',
          'placed.shipping.waitingForPayment does not accept OrderShippingStatusUpdated',
        );
    }
  });

  it('moves a paid order in transit', () => {
    spec
      .given(history.paid)
      .when({ type: 'UpdateShippingStatus', data: { status: 'IN_TRANSIT' } })
      .then([inTransit])
      .thenState({
        value: { placed: { payment: 'paid', shipping: 'inTransit' } },
        context: { shippingStatus: 'IN_TRANSIT', paymentStatus: 'PAID' },
      });
  });

  it('delivers an order in transit', () => {
    spec
      .given(history.inTransit)
      .when({ type: 'UpdateShippingStatus', data: { status: 'DELIVERED' } })
      .then([delivered])
      .thenState({
        value: { placed: { payment: 'paid', shipping: 'delivered' } },
        context: { shippingStatus: 'DELIVERED' },
      });
  });

  it.each([
    ['skips a step', history.paid, 'DELIVERED', 'placed.shipping.waitingForShipment'],
    ['repeats IN_TRANSIT', history.inTransit, 'IN_TRANSIT', 'placed.shipping.inTransit'],
    ['goes back to IN_TRANSIT', history.delivered, 'IN_TRANSIT', 'placed.shipping.delivered'],
    ['repeats DELIVERED', history.delivered, 'DELIVERED', 'placed.shipping.delivered'],
    ['comes after a cancellation', history.cancelled, 'IN_TRANSIT', 'in state cancelled'],
  ])('is rejected when it %s', (_, given, status, state) => {
    spec
      .given(given)
      .when({ type: 'UpdateShippingStatus', data: { status } })
      .thenRejected('INVALID_TRANSITION', state);
  });

  it.each(['WAITING_FOR_SHIPMENT', 'WAITING_FOR_PAYMENT', 'CANCELLED', 'in_transit', undefined])(
    'is rejected for status %o, which no update may set',
    (status) => {
      spec
        .given(history.paid)
        .when({ type: 'UpdateShippingStatus', data: { status } })
        .thenRejected('VALIDATION', 'status');
    },
  );
});

describe('order: CancelOrder', () => {
  it.each([
    ['unpaid', history.placed],
    ['with a payment processing', history.processing],
    ['after a failed payment', history.failed],
    ['paid, waiting for shipment', history.paid],
  ])('cancels an order %s', (_, given) => {
    spec
      .given(given)
      .when({ type: 'CancelOrder', data: { reason: 'changed my mind' } })
      .then([cancelled])
      .thenState({
        value: 'cancelled',
        context: { shippingStatus: 'CANCELLED', cancellationReason: 'changed my mind' },
      });
  });

  it('keeps the payment status of a cancelled order', () => {
    spec
      .given(history.paid)
      .when({ type: 'CancelOrder', data: { reason: 'r' } })
      .thenState({
        context: { paymentStatus: 'PAID' },
      });
  });

  it.each([
    ['in transit', history.inTransit, 'placed.shipping.inTransit'],
    ['delivered', history.delivered, 'placed.shipping.delivered'],
    ['cancelled', history.cancelled, 'in state cancelled'],
    ['not placed', [], 'in state draft'],
  ])('is rejected once %s', (_, given, state) => {
    spec
      .given(given)
      .when({ type: 'CancelOrder', data: { reason: 'too late' } })
      .thenRejected('INVALID_TRANSITION', new RegExp(`${state}.* does not accept OrderCancelled$`));
  });

  it('needs a reason', () => {
    spec.given(history.placed).when({ type: 'CancelOrder', data: {} }).thenRejected('VALIDATION', 'reason');
  });
});

describe('order: any command', () => {
  it.each([
    ['InitiatePayment', {}],
    ['ConfirmPayment', {}],
    ['FailPayment', { reason: 'r' }],
    ['UpdateShippingStatus', { status: 'IN_TRANSIT' }],
    ['CancelOrder', { reason: 'r' }],
  ])('%s is rejected before the order is placed', (type, data) => {
    spec.when({ type, data }).thenRejected('INVALID_TRANSITION', 'order in state draft does not accept');
  });

  it.each([
    ['InitiatePayment', {}],
    ['ConfirmPayment', {}],
    ['FailPayment', { reason: 'r' }],
    ['UpdateShippingStatus', { status: 'IN_TRANSIT' }],
    ['CancelOrder', { reason: 'r' }],
    ['PlaceOrder', placeOrder],
  ])('%s is rejected once the order is cancelled', (type, data) => {
    spec
      .given(history.cancelled)
      .when({ type, data })
      .thenRejected('INVALID_TRANSITION', 'in state cancelled');
  });

  it.each(['ShipOrder', 'toString', '__proto__', 'constructor'])(
    'an unknown command (%s) is rejected',
    (type) => {
      const { details } = spec
        .given(history.placed)
        .when({ type, data: {} })
        .thenRejected('UNKNOWN_COMMAND', `aggregate "order" has no command "${type}"`);
      expect(details).toEqual({ known: Object.keys(order.commands) });
    },
  );
});

describe('order: folding', () => {
  it('keeps the statuses read models use in step with the machine', () => {
    spec.given(history.delivered).thenState({
      value: { placed: { payment: 'paid', shipping: 'delivered' } },
      context: {
        paymentStatus: 'PAID',
        shippingStatus: 'DELIVERED',
        paymentAttempts: 1,
        cancellationReason: null,
      },
    });
  });

  it('yields no action to execute at any step of a full lifecycle', () => {
    let [snapshot, initialActions] = initialTransition(orderMachine);
    expect(initialActions).toEqual([]);
    for (const event of [...history.failed, initiated, paid, inTransit, delivered]) {
      const [next, actions] = transition(orderMachine, snapshot, event);
      expect(actions, event.type).toEqual([]);
      snapshot = next;
    }
    expect(snapshot.value).toEqual({ placed: { payment: 'paid', shipping: 'delivered' } });
  });
});
