import {
  type CommandRejectedData,
  cancelDeadline,
  type ProcessEmitted,
  type ProcessInput,
  scheduleDeadline,
  sendCommand,
} from 'chronicle-runtime';
import { assign, setup } from 'xstate';
import type { OrderPlacedData } from '../order/events.js';

/** How long an order waits for its payment's capture unless its deployment says otherwise: 15 min. */
export const DEFAULT_PAYMENT_TIMEOUT_MS = 900_000;

/**
 * What a deployment decides about the saga: its config passes it in (domain code reads no
 * environment). A function is asked each time a timeout starts, so a setting the config reads
 * late (a `chronicle dev` default, applied after the config loads) still reaches it.
 */
export type OrderPaymentSettings = { readonly paymentTimeoutMs?: number | (() => number) };

export const PAYMENT_TIMEOUT = 'PAYMENT_TIMEOUT';

/** What the process manager reacts to: events of order X and payment X, its timeout, rejections. */
export type OrderPaymentInput =
  | ProcessInput<'OrderPlaced', OrderPlacedData>
  | ProcessInput<'OrderCancelled', { readonly reason: string }>
  | ProcessInput<'PaymentRequested', unknown>
  | ProcessInput<'PaymentCaptured', { readonly amount: number }>
  | ProcessInput<'PaymentDeclined', { readonly reason: string }>
  | ProcessInput<'PaymentTimedOut', Readonly<Record<string, never>>>
  | ProcessInput<'CommandRejected', CommandRejectedData>;

export type OrderPaymentContext = {
  readonly orderId: string | null;
  readonly amount: number;
  readonly captured: number;
  /** Why the order was cancelled before its payment was captured: the reason a late capture is refunded. */
  readonly cancelledBecause: string | null;
};

/** Order X and payment X share the id: the instance's key. */
const keyOf = (input: OrderPaymentInput, context: OrderPaymentContext): string =>
  context.orderId ?? input.source?.streamId ?? '';

const toOrder = (context: OrderPaymentContext, type: string, payload: object = {}) => ({
  aggregateType: 'order',
  aggregateId: context.orderId ?? '',
  type,
  payload,
});

/** Refunds what was captured. */
const refund = (context: OrderPaymentContext, reason: string) => ({
  aggregateType: 'payment',
  aggregateId: context.orderId ?? '',
  type: 'RefundPayment',
  payload: { amount: context.captured, reason },
});

/**
 * order-payment: the payment of order X is payment X. OrderPlaced requests it and starts the
 * timeout; the payment's facts move the order (PaymentRequested → InitiatePayment, PaymentCaptured
 * → ConfirmPayment, PaymentDeclined → FailPayment). Money captured for an order that will not be
 * paid is refunded, once: a capture after the order was cancelled (by the customer or the
 * timeout), an OrderCancelled after the capture, or a ConfirmPayment the order refused.
 */
export const createOrderPaymentMachine = ({
  paymentTimeoutMs = DEFAULT_PAYMENT_TIMEOUT_MS,
}: OrderPaymentSettings = {}) =>
  setup({
    types: {
      context: {} as OrderPaymentContext,
      events: {} as OrderPaymentInput,
      emitted: {} as ProcessEmitted,
    },
  }).createMachine({
    id: 'order-payment',
    context: { orderId: null, amount: 0, captured: 0, cancelledBecause: null },
    initial: 'idle',
    states: {
      idle: {
        on: {
          OrderPlaced: {
            target: 'awaitingPayment',
            actions: [
              assign(({ event, context }) => ({
                orderId: keyOf(event, context),
                amount: event.data.totalPrice,
              })),
              sendCommand(({ context, event }) => ({
                aggregateType: 'payment',
                aggregateId: context.orderId ?? '',
                type: 'RequestPayment',
                payload: {
                  orderId: context.orderId,
                  amount: event.data.totalPrice,
                  method: event.data.paymentMethod,
                  currency: event.data.currency,
                },
              })),
              scheduleDeadline(() => ({
                name: PAYMENT_TIMEOUT,
                delayMs: typeof paymentTimeoutMs === 'function' ? paymentTimeoutMs() : paymentTimeoutMs,
                input: { type: 'PaymentTimedOut', data: {} },
              })),
            ],
          },
        },
      },
      awaitingPayment: {
        on: {
          PaymentRequested: { actions: sendCommand(({ context }) => toOrder(context, 'InitiatePayment')) },
          PaymentCaptured: {
            target: 'paid',
            actions: [
              assign({ captured: ({ event }) => event.data.amount }),
              cancelDeadline(PAYMENT_TIMEOUT),
              sendCommand(({ context }) => toOrder(context, 'ConfirmPayment')),
            ],
          },
          PaymentDeclined: {
            target: 'failed',
            actions: [
              cancelDeadline(PAYMENT_TIMEOUT),
              sendCommand(({ context, event }) =>
                toOrder(context, 'FailPayment', { reason: event.data.reason }),
              ),
            ],
          },
          PaymentTimedOut: {
            target: 'cancelled',
            actions: [
              assign({ cancelledBecause: PAYMENT_TIMEOUT }),
              sendCommand(({ context }) => toOrder(context, 'CancelOrder', { reason: PAYMENT_TIMEOUT })),
            ],
          },
          OrderCancelled: {
            target: 'cancelled',
            actions: [
              assign({ cancelledBecause: ({ event }) => event.data.reason }),
              cancelDeadline(PAYMENT_TIMEOUT),
            ],
          },
        },
      },
      paid: {
        on: {
          OrderCancelled: {
            target: 'refunded',
            actions: sendCommand(({ context, event }) => refund(context, event.data.reason)),
          },
          CommandRejected: {
            guard: ({ event }) => event.data.commandType === 'ConfirmPayment',
            target: 'refunded',
            actions: sendCommand(({ context, event }) =>
              refund(context, `order refused payment: ${event.data.code}`),
            ),
          },
        },
      },
      failed: {},
      /** The order is cancelled (or being cancelled) before its payment was captured. */
      cancelled: {
        on: {
          PaymentCaptured: {
            target: 'refunded',
            actions: [
              assign({ captured: ({ event }) => event.data.amount }),
              sendCommand(({ context }) => refund(context, context.cancelledBecause ?? 'ORDER_CANCELLED')),
            ],
          },
        },
      },
      refunded: {},
    },
  });
