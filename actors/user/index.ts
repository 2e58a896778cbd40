import { defineAggregate } from 'chronicle-runtime';
import { userCommands } from './commands.js';
import { userMachine } from './machine.js';

export * from './commands.js';
export type * from './events.js';
export * from './machine.js';

/** A user account: register, change email, deactivate. */
export const user = defineAggregate({ type: 'user', machine: userMachine, commands: userCommands });
