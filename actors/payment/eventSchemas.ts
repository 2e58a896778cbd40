import { eventVersions } from 'chronicle-runtime';
import type { PaymentRequestedData, PaymentRequestedV1Data } from './events.js';

/**
 * The payment's event schemas. PaymentRequested version 1 had no currency: every payment was in
 * euros, so a stored version-1 event reads as version 2 with `currency: 'EUR'`.
 */
export const paymentEventSchemas = {
  PaymentRequested: eventVersions<PaymentRequestedV1Data>().upcast(
    (data): PaymentRequestedData => ({ ...data, currency: 'EUR' }),
  ),
};
