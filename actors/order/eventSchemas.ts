import { eventVersions } from 'chronicle-runtime';
import type { OrderPlacedData, OrderPlacedV1Data } from './events.js';

/**
 * The order's event schemas. OrderPlaced version 1 had no currency: every order was in euros, so a
 * stored version-1 event reads as version 2 with `currency: 'EUR'` (a literal, not the command's
 * default: it says what version 1 meant, whatever new orders default to later).
 */
export const orderEventSchemas = {
  OrderPlaced: eventVersions<OrderPlacedV1Data>().upcast(
    (data): OrderPlacedData => ({ ...data, currency: 'EUR' }),
  ),
};
