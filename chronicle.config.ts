import { defineChronicle } from 'chronicle-runtime';
import { orderPaymentStories } from './actors/devTraffic.js';
import { aggregates, processManagers } from './actors/index.js';
import { projections } from './actors/projections/index.js';

/**
 * The sample deployment: orders, payments, users and products, the order-payment saga, two read
 * models. The CLI and every pod kind load it as they load a team's own config.
 */
export default defineChronicle({
  aggregates,
  processManagers,
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
