import { createInMemoryRuntime, specDefaults, specFor } from 'chronicle-runtime/testing';
import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from './events.js';
import { payment } from './index.js';

const request = { orderId: 'order-1', amount: 120, method: 'CARD' };
const requested: PaymentEvent = {
  type: 'PaymentRequested',
  data: { ...request, currency: 'EUR', requestedAt: '2025-01-01T09:00:00.000Z' },
};
const authorized: PaymentEvent = { type: 'PaymentAuthorized', data: { authorizationCode: 'AUTH-1' } };
const captured: PaymentEvent = { type: 'PaymentCaptured', data: { amount: 120 } };
const refunded = (amount: number): PaymentEvent => ({
  type: 'PaymentRefunded',
  data: { amount, reason: 'returned' },
});

const spec = specFor(payment);

describe('payment', () => {
  it('is requested, stamped with the command time, in euros unless told otherwise', () => {
    spec
      .when({ type: 'RequestPayment', data: request })
      .then([
        {
          type: 'PaymentRequested',
          data: { ...request, currency: 'EUR', requestedAt: specDefaults.issuedAt },
        },
      ])
      .thenState({ value: 'requested' });
    spec.when({ type: 'RequestPayment', data: { ...request, currency: 'JPY' } }).then([
      {
        type: 'PaymentRequested',
        data: { ...request, currency: 'JPY', requestedAt: specDefaults.issuedAt },
      },
    ]);
  });

  it('rejects a currency that is not an ISO 4217 code, naming the field', () => {
    spec
      .when({ type: 'RequestPayment', data: { ...request, currency: 'eur' } })
      .thenRejected('VALIDATION', 'currency');
    spec
      .when({ type: 'RequestPayment', data: { ...request, currency: 'XYZ' } })
      .thenRejected('VALIDATION', 'currency');
  });

  it('rejects a request for a non-positive amount, naming the field', () => {
    spec
      .when({ type: 'RequestPayment', data: { ...request, amount: 0 } })
      .thenRejected('VALIDATION', 'amount');
  });

  it('captures the requested amount once authorized', () => {
    spec
      .given([requested, authorized])
      .when({ type: 'CapturePayment' })
      .then([captured])
      .thenState({ value: 'captured', context: { captured: 120, refunded: 0 } });
  });

  it('cannot be captured before it is authorized, nor after it is declined', () => {
    spec
      .given([requested])
      .when({ type: 'CapturePayment' })
      .thenRejected('INVALID_TRANSITION', 'in state requested');
    spec
      .given([requested, { type: 'PaymentDeclined', data: { reason: 'insufficient funds' } }])
      .when({ type: 'CapturePayment' })
      .thenRejected('INVALID_TRANSITION', 'in state declined');
  });

  it('is refunded in parts, and fully refunded when nothing is left', () => {
    spec
      .given([requested, authorized, captured])
      .when({ type: 'RefundPayment', data: { amount: 20, reason: 'returned' } })
      .then([refunded(20)])
      .thenState({ value: 'captured', context: { refunded: 20 } });
    spec
      .given([requested, authorized, captured, refunded(20)])
      .when({ type: 'RefundPayment', data: { amount: 100, reason: 'returned' } })
      .then([refunded(100)])
      .thenState({ value: 'refunded', context: { refunded: 120 } });
  });

  it('refuses to refund more than is left (a domain rule of decide)', () => {
    spec
      .given([requested, authorized, captured, refunded(100)])
      .when({ type: 'RefundPayment', data: { amount: 21, reason: 'returned' } })
      .thenRejected('REFUND_EXCEEDS_CAPTURE', 'only 20 is left');
  });

  it('cannot be refunded before capture (a lifecycle rule of the machine)', () => {
    spec
      .given([requested, authorized])
      .when({ type: 'RefundPayment', data: { amount: 1, reason: 'returned' } })
      .thenRejected('INVALID_TRANSITION', 'payment in state authorized does not accept PaymentRefunded');
  });

  it('given a version-1 PaymentRequested stored by an older release, reads it in euros and captures it', async () => {
    const runtime = createInMemoryRuntime({ aggregates: [payment] });
    try {
      runtime.store.insertStored([
        {
          streamType: 'payment',
          streamId: 'p-old',
          type: 'PaymentRequested',
          schemaVersion: 1,
          data: { ...request, requestedAt: '2024-06-01T10:00:00.000Z' },
          metadata: { commandId: 'old', correlationId: 'old', causationId: 'old' },
        },
      ]);
      const [stored] = await runtime.events('payment', 'p-old');
      expect(stored).toMatchObject({ schemaVersion: 2, data: { ...request, currency: 'EUR' } });
      const send = (type: string, payload: object) =>
        runtime.send({ aggregateType: 'payment', aggregateId: 'p-old', type, payload });
      await send('AuthorizePayment', { authorizationCode: 'A-1' });
      expect(await send('CapturePayment', {})).toMatchObject({
        status: 'accepted',
        events: [{ type: 'PaymentCaptured', data: { amount: request.amount } }],
      });
    } finally {
      await runtime.close();
    }
  });
});
