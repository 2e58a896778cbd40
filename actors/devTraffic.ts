import type { DevStoryTeller, DevStoryStep as StoryStep } from 'chronicle-runtime';
import { paymentMethods } from './order/index.js';

/** Mostly euros, as the shop's orders were before they had a currency (docs/schema-evolution.md). */
const devCurrencies = ['EUR', 'EUR', 'EUR', 'USD', 'GBP'] as const;

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
      currency: devCurrencies[Math.floor(random() * devCurrencies.length)] ?? 'EUR',
    },
  };
};

const onOrder = (orderId: string, type: string, payload: object = {}): StoryStep => ({
  aggregateType: 'order',
  aggregateId: orderId,
  type,
  payload,
});

/** A command from the payment provider's side, on payment X (the one the saga requested for order X). */
const provider = (orderId: string, type: string, payload: object = {}): StoryStep => ({
  aggregateType: 'payment',
  aggregateId: orderId,
  type,
  payload,
  // payment X exists once the saga's RequestPayment ran: until then the provider's command is refused
  until: 'accepted',
});

/**
 * Orders through the order-payment saga. The generator places orders and then plays only the
 * payment provider (AuthorizePayment, CapturePayment, DeclinePayment on payment X) and the
 * warehouse (shipping); the saga requests each payment, turns a capture into a paid order and a
 * decline into a failed payment. Some payments are authorized and never captured: the saga
 * cancels those orders once ORDER_PAYMENT_TIMEOUT_MS has passed. Shipping waits (`until`) for the
 * saga's ConfirmPayment.
 */
export const orderPaymentStories: DevStoryTeller = (orderId, random) => {
  const roll = random();
  const placed = placeOrder(orderId, random);
  const authorized = provider(orderId, 'AuthorizePayment', {
    authorizationCode: `auth-${orderId.slice(-8)}`,
  });
  if (roll < 0.15) {
    return {
      outcome: 'declined',
      steps: [placed, provider(orderId, 'DeclinePayment', { reason: 'CARD_DECLINED' })],
    };
  }
  if (roll < 0.3) return { outcome: 'timed out', steps: [placed, authorized] };
  return {
    outcome: 'delivered',
    steps: [
      placed,
      authorized,
      provider(orderId, 'CapturePayment'),
      { ...onOrder(orderId, 'UpdateShippingStatus', { status: 'IN_TRANSIT' }), until: 'accepted' },
      onOrder(orderId, 'UpdateShippingStatus', { status: 'DELIVERED' }),
    ],
  };
};
