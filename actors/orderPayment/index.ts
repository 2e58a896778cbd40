import { defineProcessManager, type RecordedEvent } from 'chronicle-runtime';
import { createOrderPaymentMachine, type OrderPaymentSettings } from './machine.js';

export * from './machine.js';

/** Order X and payment X are one instance: the stream id is the key. */
const byStreamId = (event: RecordedEvent) => event.streamId;

/**
 * The order–payment process manager: requests payment X for order X, moves order X with payment
 * X's facts, cancels an order whose payment is not captured in time (`paymentTimeoutMs`, default
 * 15 min), refunds money taken for an order that will not be paid.
 */
export const createOrderPayment = (settings: OrderPaymentSettings = {}) =>
  defineProcessManager({
    name: 'order-payment',
    machine: createOrderPaymentMachine(settings),
    sendsTo: ['payment', 'order'],
    correlate: {
      OrderPlaced: byStreamId,
      OrderCancelled: byStreamId,
      PaymentRequested: byStreamId,
      PaymentCaptured: byStreamId,
      PaymentDeclined: byStreamId,
    },
  });

/** order-payment with the default timeout. */
export const orderPayment = createOrderPayment();
