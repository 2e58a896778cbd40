import type { OrderEvent } from './events.js';

/** Shared givens for the order specs. */
export const placeOrder = {
  customerId: 'customer-1',
  productId: 'product-1',
  vendorId: 'vendor-1',
  quantity: 2,
  totalPrice: 49.9,
  paymentMethod: 'CARD',
} as const;

export const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { ...placeOrder, currency: 'EUR', placedAt: '2025-01-01T09:00:00.000Z' },
};
export const initiated: OrderEvent = { type: 'OrderPaymentInitiated', data: {} };
export const paid: OrderEvent = { type: 'OrderPaid', data: {} };
export const failed: OrderEvent = { type: 'OrderPaymentFailed', data: { reason: 'card declined' } };
export const inTransit: OrderEvent = { type: 'OrderShippingStatusUpdated', data: { status: 'IN_TRANSIT' } };
export const delivered: OrderEvent = { type: 'OrderShippingStatusUpdated', data: { status: 'DELIVERED' } };
export const cancelled: OrderEvent = { type: 'OrderCancelled', data: { reason: 'changed my mind' } };

/** Histories by the point of the lifecycle they reach. */
export const history = {
  placed: [placed],
  processing: [placed, initiated],
  failed: [placed, initiated, failed],
  paid: [placed, initiated, paid],
  inTransit: [placed, initiated, paid, inTransit],
  delivered: [placed, initiated, paid, inTransit, delivered],
  cancelled: [placed, cancelled],
} satisfies Record<string, OrderEvent[]>;
