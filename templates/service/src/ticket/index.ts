import { defineAggregate } from 'chronicle-runtime';
import { ticketCommands } from './commands.js';
import { ticketMachine } from './machine.js';

export * from './commands.js';
export type * from './events.js';
export * from './machine.js';

/** A support ticket: open it, assign it to an agent, resolve it. */
export const ticket = defineAggregate({
  type: 'ticket',
  machine: ticketMachine,
  commands: ticketCommands,
});
