import { commandFor, reject } from 'chronicle-runtime';
import { z } from 'zod';
import { Amount } from '../amounts.js';
import type { productMachine } from './machine.js';

export const CreateProduct = z.strictObject({
  vendorId: z.string().min(1),
  name: z.string().trim().min(1),
  price: Amount,
});
export const ChangePrice = z.strictObject({ price: Amount });
export const DiscontinueProduct = z.strictObject({ reason: z.string().min(1) });

const command = commandFor<typeof productMachine>();

export const productCommands = {
  CreateProduct: command(CreateProduct, ({ data, metadata }) => [
    { type: 'ProductCreated', data: { ...data, createdAt: metadata.issuedAt } },
  ]),
  ChangePrice: command(ChangePrice, ({ data }, { context }) => {
    if (context.price === data.price) reject('PRICE_UNCHANGED', `the price is already ${data.price}`);
    return [{ type: 'ProductPriceChanged', data: { price: data.price, previousPrice: context.price ?? 0 } }];
  }),
  DiscontinueProduct: command(DiscontinueProduct, ({ data, metadata }) => [
    { type: 'ProductDiscontinued', data: { reason: data.reason, discontinuedAt: metadata.issuedAt } },
  ]),
};
