import { defineAggregate } from 'chronicle-runtime';
import { userCommands } from './commands.js';
import { userMachine } from './machine.js';
import { userEvents } from './personalData.js';

export * from './commands.js';
export type * from './events.js';
export * from './machine.js';
export * from './personalData.js';

/** A user account: register, change email, deactivate, delete; its email and name are personal data. */
export const user = defineAggregate({
  type: 'user',
  machine: userMachine,
  commands: userCommands,
  events: userEvents,
});
