import type { CommandRequest } from 'chronicle';
import { paymentMethods } from '../../actors/order/index.js';

/** One command of a story; `until: 'accepted'` retries a rejection later (it waits on another actor). */
export type StoryStep = CommandRequest & { readonly until?: 'accepted' };

/** What the generator plays for one order: its commands in order, and how the story is meant to end. */
export type OrderStory = { readonly outcome: string; readonly steps: readonly StoryStep[] };

/** Draws one order's story; `random` in [0, 1) picks the outcome and the order's details. */
export type StoryTeller = (orderId: string, random: () => number) => OrderStory;

const placeOrder = (orderId: string, random: () => number): StoryStep => {
  const quantity = 1 + Math.floor(random() * 4);
  return {
    aggregateType: 'order',
    aggregateId: orderId,
    type: 'PlaceOrder',
    payload: {
      customerId: `customer-${1 + Math.floor(random() * 50)}`,
      productId: `product-${1 + Math.floor(random() * 20)}`,
      vendorId: `vendor-${1 + Math.floor(random() * 5)}`,
      quantity,
      totalPrice: Math.round(quantity * (5 + random() * 95) * 100) / 100,
      paymentMethod: paymentMethods[Math.floor(random() * paymentMethods.length)] ?? 'CARD',
    },
  };
};

const onOrder = (orderId: string, type: string, payload: object = {}): StoryStep => ({
  aggregateType: 'order',
  aggregateId: orderId,
  type,
  payload,
});

/**
 * The order lifecycle driven through the order's own commands: most orders are paid and
 * delivered, some are declined (then cancelled), some cancelled before paying.
 */
export const orderLifecycleStories: StoryTeller = (orderId, random) => {
  const roll = random();
  const placed = placeOrder(orderId, random);
  if (roll < 0.15) {
    return {
      outcome: 'cancelled',
      steps: [placed, onOrder(orderId, 'CancelOrder', { reason: 'changed my mind' })],
    };
  }
  if (roll < 0.3) {
    return {
      outcome: 'declined',
      steps: [
        placed,
        onOrder(orderId, 'InitiatePayment'),
        onOrder(orderId, 'FailPayment', { reason: 'CARD_DECLINED' }),
        onOrder(orderId, 'CancelOrder', { reason: 'PAYMENT_DECLINED' }),
      ],
    };
  }
  return {
    outcome: 'delivered',
    steps: [
      placed,
      onOrder(orderId, 'InitiatePayment'),
      onOrder(orderId, 'ConfirmPayment'),
      onOrder(orderId, 'UpdateShippingStatus', { status: 'IN_TRANSIT' }),
      onOrder(orderId, 'UpdateShippingStatus', { status: 'DELIVERED' }),
    ],
  };
};
