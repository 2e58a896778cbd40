import { commandFor } from 'chronicle-runtime';
import { z } from 'zod';
import { Amount, Currency, DEFAULT_CURRENCY, Quantity } from '../amounts.js';
import { paymentMethods, shippingUpdates } from './events.js';
import type { orderMachine } from './machine.js';

/** A command without payload accepts `{}` or nothing at all. */
const NoPayload = z.strictObject({}).default({});

export const PlaceOrder = z.strictObject({
  customerId: z.string().min(1),
  productId: z.string().min(1),
  vendorId: z.string().min(1),
  quantity: Quantity,
  totalPrice: Amount,
  paymentMethod: z.enum(paymentMethods),
  /** ISO 4217; default EUR. */
  currency: Currency.default(DEFAULT_CURRENCY),
});
export const InitiatePayment = NoPayload;
export const ConfirmPayment = NoPayload;
export const FailPayment = z.strictObject({ reason: z.string().min(1) });
export const UpdateShippingStatus = z.strictObject({ status: z.enum(shippingUpdates) });
export const CancelOrder = z.strictObject({ reason: z.string().min(1) });

const command = commandFor<typeof orderMachine>();

/** Lifecycle rules live in the machine; each decide only says which event the command causes. */
export const orderCommands = {
  PlaceOrder: command(PlaceOrder, ({ data, metadata }) => [
    { type: 'OrderPlaced', data: { ...data, placedAt: metadata.issuedAt } },
  ]),
  InitiatePayment: command(InitiatePayment, () => [{ type: 'OrderPaymentInitiated', data: {} }]),
  ConfirmPayment: command(ConfirmPayment, () => [{ type: 'OrderPaid', data: {} }]),
  FailPayment: command(FailPayment, ({ data }) => [
    { type: 'OrderPaymentFailed', data: { reason: data.reason } },
  ]),
  UpdateShippingStatus: command(UpdateShippingStatus, ({ data }) => [
    { type: 'OrderShippingStatusUpdated', data: { status: data.status } },
  ]),
  CancelOrder: command(CancelOrder, ({ data }) => [
    { type: 'OrderCancelled', data: { reason: data.reason } },
  ]),
};
