import { defineAggregate } from 'chronicle-runtime';
import { orderCommands } from './commands.js';
import { orderEventSchemas } from './eventSchemas.js';
import { orderMachine } from './machine.js';

export * from './commands.js';
export * from './eventSchemas.js';
export type * from './events.js';
export { paymentMethods, shippingUpdates } from './events.js';
export * from './machine.js';

/** An order: placed, paid (with retries after a failed attempt), shipped, or cancelled before it leaves. */
export const order = defineAggregate({
  type: 'order',
  machine: orderMachine,
  commands: orderCommands,
  events: orderEventSchemas,
  // the path the seed's clients know: POST /v1/orders/:id/shipping-status
  resource: { commandPaths: { UpdateShippingStatus: 'shipping-status' } },
});
