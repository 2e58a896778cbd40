import type { CommandRequest } from '../../src/messages/index.js';

export const placeOrderPayload = {
  customerId: 'customer-1',
  productId: 'product-1',
  vendorId: 'vendor-1',
  quantity: 2,
  totalPrice: 40,
  paymentMethod: 'CARD',
} as const;

export const placeOrder = (aggregateId: string, commandId?: string): CommandRequest => ({
  aggregateType: 'order',
  aggregateId,
  type: 'PlaceOrder',
  payload: placeOrderPayload,
  ...(commandId ? { commandId } : {}),
});

/**
 * The n-th command of a long order history: payment attempts that start and fail in turn. Each
 * is only valid right after the one before it, so running them out of order is a rejection.
 */
export const paymentAttempt = (aggregateId: string, n: number): CommandRequest =>
  n % 2 === 1
    ? { aggregateType: 'order', aggregateId, type: 'InitiatePayment', payload: {} }
    : { aggregateType: 'order', aggregateId, type: 'FailPayment', payload: { reason: `attempt ${n / 2}` } };
