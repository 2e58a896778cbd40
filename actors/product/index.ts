import { defineAggregate } from 'chronicle-runtime';
import { productCommands } from './commands.js';
import { productMachine } from './machine.js';

export * from './commands.js';
export type * from './events.js';
export * from './machine.js';

/** A product in a vendor's catalogue: create, change its price, discontinue it. */
export const product = defineAggregate({
  type: 'product',
  machine: productMachine,
  commands: productCommands,
});
