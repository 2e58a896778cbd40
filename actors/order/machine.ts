import { assign, setup, stateIn } from 'xstate';
import type { OrderEvent, OrderPlacedData, PaymentStatus, ShippingStatus } from './events.js';

export type OrderContext = {
  /** What was ordered; null until OrderPlaced. */
  readonly details: OrderPlacedData | null;
  /** Mirrors the `payment` region, for read models; null until OrderPlaced. */
  readonly paymentStatus: PaymentStatus | null;
  /** Mirrors the `shipping` region (or CANCELLED), for read models; null until OrderPlaced. */
  readonly shippingStatus: ShippingStatus | null;
  readonly cancellationReason: string | null;
};

const initialContext: OrderContext = {
  details: null,
  paymentStatus: null,
  shippingStatus: null,
  cancellationReason: null,
};

/**
 * The order lifecycle over its events. Once placed, payment and shipping run as parallel regions:
 * only the payment region accepts OrderPaid, and shipping leaves `waitingForPayment` as soon as
 * payment is `paid` (an eventless transition guarded by `stateIn`), so "ship only when paid"
 * holds. Shipping moves forward one step at a time (waitingForShipment → inTransit → delivered),
 * and only the two states before the goods leave accept OrderCancelled.
 *
 * The payment region is the payment's progress as far as the order's lifecycle needs it, no more:
 * the payment itself (amount, method, authorization, decline reason, captures, refunds) is the
 * payment aggregate with the order's id, and order-payment moves this region from its facts. An
 * attempt starts with OrderPaymentInitiated and ends with OrderPaid or OrderPaymentFailed, so a
 * payment can fail only while an attempt is processing; after a failure OrderPaymentInitiated may
 * start another (status back to PENDING). Once paid, no payment event is accepted again. An order
 * can be cancelled whatever its payment state (refunding a paid one is the payment aggregate's
 * business, asked by order-payment) until it is in transit.
 */
export const orderMachine = setup({
  types: { context: {} as OrderContext, events: {} as OrderEvent },
  guards: { isPaid: stateIn('#order.placed.payment.paid') },
  actions: {
    recordCancellation: assign((_, params: { readonly reason: string }) => ({
      shippingStatus: 'CANCELLED' as const,
      cancellationReason: params.reason,
    })),
  },
}).createMachine({
  id: 'order',
  context: initialContext,
  initial: 'draft',
  states: {
    draft: {
      on: {
        OrderPlaced: {
          target: 'placed',
          actions: assign(({ event }) => ({
            details: event.data,
            paymentStatus: 'PENDING' as const,
            shippingStatus: 'WAITING_FOR_PAYMENT' as const,
          })),
        },
      },
    },
    placed: {
      type: 'parallel',
      states: {
        payment: {
          initial: 'pending',
          states: {
            pending: { on: { OrderPaymentInitiated: 'processing' } },
            processing: {
              entry: assign({ paymentStatus: 'PENDING' }),
              on: {
                OrderPaid: { target: 'paid', actions: assign({ paymentStatus: 'PAID' }) },
                OrderPaymentFailed: { target: 'failed', actions: assign({ paymentStatus: 'FAILED' }) },
              },
            },
            paid: {},
            failed: { on: { OrderPaymentInitiated: 'processing' } },
          },
        },
        shipping: {
          initial: 'waitingForPayment',
          states: {
            waitingForPayment: {
              always: {
                guard: 'isPaid',
                target: 'waitingForShipment',
                actions: assign({ shippingStatus: 'WAITING_FOR_SHIPMENT' }),
              },
              on: {
                OrderCancelled: {
                  target: '#order.cancelled',
                  actions: { type: 'recordCancellation', params: ({ event }) => event.data },
                },
              },
            },
            waitingForShipment: {
              on: {
                OrderShippingStatusUpdated: {
                  guard: ({ event }) => event.data.status === 'IN_TRANSIT',
                  target: 'inTransit',
                  actions: assign({ shippingStatus: 'IN_TRANSIT' }),
                },
                OrderCancelled: {
                  target: '#order.cancelled',
                  actions: { type: 'recordCancellation', params: ({ event }) => event.data },
                },
              },
            },
            inTransit: {
              on: {
                OrderShippingStatusUpdated: {
                  guard: ({ event }) => event.data.status === 'DELIVERED',
                  target: 'delivered',
                  actions: assign({ shippingStatus: 'DELIVERED' }),
                },
              },
            },
            delivered: {},
          },
        },
      },
    },
    // Accepts nothing more, but is not `type: 'final'`: a final state would stop the live actor.
    cancelled: {},
  },
});
