import { defineProcessManager, type RecordedEvent } from 'chronicle-runtime';
import { orderPaymentMachine } from './machine.js';

export * from './machine.js';

/** Order X and payment X are one instance: the stream id is the key. */
const byStreamId = (event: RecordedEvent) => event.streamId;

/**
 * The order–payment process manager: requests payment X for order X, moves order X with payment
 * X's facts, cancels an order whose payment is not captured in time, refunds money taken for an
 * order that will not be paid.
 */
export const orderPayment = defineProcessManager({
  name: 'order-payment',
  machine: orderPaymentMachine,
  sendsTo: ['payment', 'order'],
  correlate: {
    OrderPlaced: byStreamId,
    OrderCancelled: byStreamId,
    PaymentRequested: byStreamId,
    PaymentCaptured: byStreamId,
    PaymentDeclined: byStreamId,
  },
});
