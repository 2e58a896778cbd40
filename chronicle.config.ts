import { defineChronicle, intSetting } from 'chronicle-runtime';
import { orderPaymentStories } from './actors/devTraffic.js';
import { aggregates, createOrderPayment } from './actors/index.js';
import { DEFAULT_PAYMENT_TIMEOUT_MS } from './actors/orderPayment/index.js';
import { projections } from './actors/projections/index.js';

/**
 * The domain's settings, read here at its edge (the domain reads no environment): how long an
 * order waits for its payment's capture, ORDER_PAYMENT_TIMEOUT_MS, default 15 min. Read when a
 * timeout starts, so the dev default below reaches it too.
 */
const paymentTimeoutMs = () =>
  intSetting('ORDER_PAYMENT_TIMEOUT_MS', process.env.ORDER_PAYMENT_TIMEOUT_MS, DEFAULT_PAYMENT_TIMEOUT_MS, 0);
// checked once as the config loads: a malformed value stops the pod at start
paymentTimeoutMs();

/**
 * The sample deployment: orders, payments, users and products, the order-payment saga, three read
 * models (orders_view, order_totals, products_view). The CLI and every pod kind load it as they
 * load a team's own config.
 */
export default defineChronicle({
  aggregates,
  processManagers: [createOrderPayment({ paymentTimeoutMs })],
  projections,
  migrations: { folder: './migrations/domain' },
  dev: {
    traffic: orderPaymentStories,
    trafficSummary:
      'orders placed, then only the payment provider and the warehouse (the order-payment saga does the rest)',
    // orders the provider never captures time out while someone watches, not after 15 minutes
    // and users' personal fields are sealed with a dev-only key-encryption key (never use it elsewhere)
    environment: {
      ORDER_PAYMENT_TIMEOUT_MS: '15000',
      CHRONICLE_KEK: 'dev:3SW09UQJdcm8aBN3mZxFsAmSTLvMUOvTVQ2l+/Hri1w=',
    },
  },
});
