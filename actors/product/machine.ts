import { assign, setup } from 'xstate';
import type { ProductEvent } from './events.js';

export type ProductContext = {
  readonly vendorId: string | null;
  readonly name: string | null;
  readonly price: number | null;
  readonly createdAt: string | null;
  readonly discontinuedAt: string | null;
};

/** A product in a vendor's catalogue: on sale until discontinued, then frozen. */
export const productMachine = setup({
  types: { context: {} as ProductContext, events: {} as ProductEvent },
}).createMachine({
  id: 'product',
  context: { vendorId: null, name: null, price: null, createdAt: null, discontinuedAt: null },
  initial: 'none',
  states: {
    none: {
      on: { ProductCreated: { target: 'onSale', actions: assign(({ event }) => ({ ...event.data })) } },
    },
    onSale: {
      on: {
        ProductPriceChanged: { actions: assign({ price: ({ event }) => event.data.price }) },
        ProductDiscontinued: {
          target: 'discontinued',
          actions: assign({ discontinuedAt: ({ event }) => event.data.discontinuedAt }),
        },
      },
    },
    discontinued: {},
  },
});
