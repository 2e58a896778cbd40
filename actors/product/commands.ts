import { type CommandDefinitions, reject } from 'chronicle';
import { z } from 'zod';
import type { productMachine } from './machine.js';

const Price = z.number().nonnegative();

export const CreateProduct = z.strictObject({
  vendorId: z.string().min(1),
  name: z.string().trim().min(1),
  price: Price,
});
export const ChangePrice = z.strictObject({ price: Price });
export const DiscontinueProduct = z.strictObject({ reason: z.string().min(1) });

export const productSchemas = { CreateProduct, ChangePrice, DiscontinueProduct };

export const productCommands = {
  CreateProduct: {
    schema: CreateProduct,
    decide: ({ data, metadata }) => [
      { type: 'ProductCreated', data: { ...data, createdAt: metadata.issuedAt } },
    ],
  },
  ChangePrice: {
    schema: ChangePrice,
    decide: ({ data }, { context }) => {
      if (context.price === data.price) reject('PRICE_UNCHANGED', `the price is already ${data.price}`);
      return [
        { type: 'ProductPriceChanged', data: { price: data.price, previousPrice: context.price ?? 0 } },
      ];
    },
  },
  DiscontinueProduct: {
    schema: DiscontinueProduct,
    decide: ({ data, metadata }) => [
      { type: 'ProductDiscontinued', data: { reason: data.reason, discontinuedAt: metadata.issuedAt } },
    ],
  },
} satisfies CommandDefinitions<typeof productMachine, typeof productSchemas>;
