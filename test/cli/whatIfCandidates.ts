import { type AnyStateMachine, createMachine } from 'xstate';
import { CancelOrder, orderCommands, orderEventSchemas, orderMachine } from '../../actors/order/index.js';
import { defineAggregate, reject } from '../../src/index.js';

// Candidate versions of the sample's order, for `chronicle what-if` specs: a candidate config in a
// temporary directory imports them by absolute path.

type StateNode = { readonly states?: Record<string, StateNode>; readonly on?: Record<string, unknown> };

/** The order machine without one transition: an order waiting for its payment can no longer be cancelled. */
const withoutCancelBeforePayment = (): AnyStateMachine => {
  const config = orderMachine.config as unknown as StateNode & Record<string, unknown>;
  const placed = config.states?.placed as StateNode;
  const shipping = placed.states?.shipping as StateNode;
  const waiting = shipping.states?.waitingForPayment as StateNode;
  const { OrderCancelled: _dropped, ...on } = waiting.on ?? {};
  return createMachine(
    {
      ...config,
      states: {
        ...config.states,
        placed: {
          ...placed,
          states: {
            ...placed.states,
            shipping: { ...shipping, states: { ...shipping.states, waitingForPayment: { ...waiting, on } } },
          },
        },
      },
    } as never,
    orderMachine.implementations as never,
  ) as AnyStateMachine;
};

export const orderWithoutCancelBeforePayment = defineAggregate({
  type: 'order',
  machine: withoutCancelBeforePayment(),
  commands: orderCommands as never,
  events: orderEventSchemas as never,
});

/** The same machine; CancelOrder's decide now rejects every cancellation. */
export const orderRefusingCancel = defineAggregate({
  type: 'order',
  machine: orderMachine,
  commands: {
    ...orderCommands,
    CancelOrder: {
      schema: CancelOrder,
      decide: () => reject('CANCELLATION_CLOSED', 'orders can no longer be cancelled'),
    },
  },
  events: orderEventSchemas,
});
