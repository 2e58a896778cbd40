import { defineAggregate } from 'chronicle-runtime';
import { paymentCommands } from './commands.js';
import { paymentEventSchemas } from './eventSchemas.js';
import { paymentMachine } from './machine.js';

export * from './commands.js';
export * from './eventSchemas.js';
export type * from './events.js';
export * from './machine.js';

/** A payment for an order: authorize, capture, refund (partially, at most what was captured). */
export const payment = defineAggregate({
  type: 'payment',
  machine: paymentMachine,
  commands: paymentCommands,
  events: paymentEventSchemas,
});
