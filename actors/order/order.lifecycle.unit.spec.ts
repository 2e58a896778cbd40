import { specFor } from 'chronicle-runtime/testing';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { order, orderMachine } from './index.js';
import {
  cancelled,
  delivered,
  history,
  initiated,
  inTransit,
  paid,
  placeOrder,
} from './orderSpecFixtures.js';

const spec = specFor(order);

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
        cancellationReason: null,
      },
    });
  });

  it("keeps only its lifecycle in its context: the payment's facts are payment X's", () => {
    let [snapshot] = initialTransition(orderMachine);
    for (const event of [...history.failed, initiated, paid])
      [snapshot] = transition(orderMachine, snapshot, event);
    expect(Object.keys(snapshot.context).sort()).toEqual([
      'cancellationReason',
      'details',
      'paymentStatus',
      'shippingStatus',
    ]);
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
