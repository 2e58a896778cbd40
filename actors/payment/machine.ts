import { assign, setup } from 'xstate';
import type { PaymentEvent, PaymentRequestedData } from './events.js';

export type PaymentContext = {
  readonly request: PaymentRequestedData | null;
  readonly authorizationCode: string | null;
  readonly declineReason: string | null;
  readonly captured: number;
  readonly refunded: number;
};

/**
 * A card-style payment: requested, then authorized or declined; an authorization is captured in
 * full, and a capture can be refunded in parts until nothing is left (`refunded`).
 */
export const paymentMachine = setup({
  types: { context: {} as PaymentContext, events: {} as PaymentEvent },
}).createMachine({
  id: 'payment',
  context: { request: null, authorizationCode: null, declineReason: null, captured: 0, refunded: 0 },
  initial: 'none',
  states: {
    none: {
      on: {
        PaymentRequested: { target: 'requested', actions: assign({ request: ({ event }) => event.data }) },
      },
    },
    requested: {
      on: {
        PaymentAuthorized: {
          target: 'authorized',
          actions: assign({ authorizationCode: ({ event }) => event.data.authorizationCode }),
        },
        PaymentDeclined: {
          target: 'declined',
          actions: assign({ declineReason: ({ event }) => event.data.reason }),
        },
      },
    },
    authorized: {
      on: {
        PaymentCaptured: {
          target: 'captured',
          actions: assign({ captured: ({ event }) => event.data.amount }),
        },
      },
    },
    declined: {},
    captured: {
      on: {
        PaymentRefunded: [
          {
            guard: ({ context, event }) => context.refunded + event.data.amount >= context.captured,
            target: 'refunded',
            actions: assign({ refunded: ({ context, event }) => context.refunded + event.data.amount }),
          },
          { actions: assign({ refunded: ({ context, event }) => context.refunded + event.data.amount }) },
        ],
      },
    },
    refunded: {},
  },
});
