import { type CommandDefinitions, reject } from 'chronicle';
import { z } from 'zod';
import type { paymentMachine } from './machine.js';

export const RequestPayment = z.strictObject({
  orderId: z.string().min(1),
  amount: z.number().positive(),
  method: z.string().min(1),
});
export const AuthorizePayment = z.strictObject({ authorizationCode: z.string().min(1) });
export const DeclinePayment = z.strictObject({ reason: z.string().min(1) });
export const CapturePayment = z.strictObject({}).default({});
export const RefundPayment = z.strictObject({ amount: z.number().positive(), reason: z.string().min(1) });

export const paymentSchemas = {
  RequestPayment,
  AuthorizePayment,
  DeclinePayment,
  CapturePayment,
  RefundPayment,
};

export const paymentCommands = {
  RequestPayment: {
    schema: RequestPayment,
    decide: ({ data, metadata }) => [
      { type: 'PaymentRequested', data: { ...data, requestedAt: metadata.issuedAt } },
    ],
  },
  AuthorizePayment: {
    schema: AuthorizePayment,
    decide: ({ data }) => [
      { type: 'PaymentAuthorized', data: { authorizationCode: data.authorizationCode } },
    ],
  },
  DeclinePayment: {
    schema: DeclinePayment,
    decide: ({ data }) => [{ type: 'PaymentDeclined', data: { reason: data.reason } }],
  },
  /** Captures the whole requested amount (the machine refuses it unless authorized). */
  CapturePayment: {
    schema: CapturePayment,
    decide: (_, { context }) => [{ type: 'PaymentCaptured', data: { amount: context.request?.amount ?? 0 } }],
  },
  RefundPayment: {
    schema: RefundPayment,
    decide: ({ data }, { value, context }) => {
      // Whether a refund may happen at all is the machine's rule (INVALID_TRANSITION); how much, ours.
      const refundable = context.captured - context.refunded;
      if (value === 'captured' && data.amount > refundable) {
        reject(
          'REFUND_EXCEEDS_CAPTURE',
          `cannot refund ${data.amount}: only ${refundable} is left to refund`,
          {
            refundable,
          },
        );
      }
      return [{ type: 'PaymentRefunded', data: { amount: data.amount, reason: data.reason } }];
    },
  },
} satisfies CommandDefinitions<typeof paymentMachine, typeof paymentSchemas>;
