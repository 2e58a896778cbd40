import { commandFor, reject } from 'chronicle-runtime';
import { z } from 'zod';
import { Currency, DEFAULT_CURRENCY, PositiveAmount } from '../amounts.js';
import type { paymentMachine } from './machine.js';

export const RequestPayment = z.strictObject({
  orderId: z.string().min(1),
  amount: PositiveAmount,
  method: z.string().min(1),
  /** ISO 4217, the currency of `amount` (and of every capture and refund); default EUR. */
  currency: Currency.default(DEFAULT_CURRENCY),
});
export const AuthorizePayment = z.strictObject({ authorizationCode: z.string().min(1) });
export const DeclinePayment = z.strictObject({ reason: z.string().min(1) });
export const CapturePayment = z.strictObject({}).default({});
export const RefundPayment = z.strictObject({ amount: PositiveAmount, reason: z.string().min(1) });

const command = commandFor<typeof paymentMachine>();

export const paymentCommands = {
  RequestPayment: command(RequestPayment, ({ data, metadata }) => [
    { type: 'PaymentRequested', data: { ...data, requestedAt: metadata.issuedAt } },
  ]),
  AuthorizePayment: command(AuthorizePayment, ({ data }) => [
    { type: 'PaymentAuthorized', data: { authorizationCode: data.authorizationCode } },
  ]),
  DeclinePayment: command(DeclinePayment, ({ data }) => [
    { type: 'PaymentDeclined', data: { reason: data.reason } },
  ]),
  /** Captures the whole requested amount (the machine refuses it unless authorized). */
  CapturePayment: command(CapturePayment, (_, { context }) => [
    { type: 'PaymentCaptured', data: { amount: context.request?.amount ?? 0 } },
  ]),
  RefundPayment: command(RefundPayment, ({ data }, { value, context }) => {
    // Whether a refund may happen at all is the machine's rule (INVALID_TRANSITION); how much, ours.
    const refundable = context.captured - context.refunded;
    if (value === 'captured' && data.amount > refundable) {
      reject('REFUND_EXCEEDS_CAPTURE', `cannot refund ${data.amount}: only ${refundable} is left to refund`, {
        refundable,
      });
    }
    return [{ type: 'PaymentRefunded', data: { amount: data.amount, reason: data.reason } }];
  }),
};
