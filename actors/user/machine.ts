import { assign, setup } from 'xstate';
import type { UserEvent } from './events.js';

export type UserContext = {
  readonly email: string | null;
  readonly name: string | null;
  readonly registeredAt: string | null;
  readonly deactivatedAt: string | null;
};

/**
 * A user account: registered (active), may change email; once deactivated it accepts only
 * deletion, and once deleted nothing (its email and name are dropped from the state).
 */
export const userMachine = setup({
  types: { context: {} as UserContext, events: {} as UserEvent },
}).createMachine({
  id: 'user',
  context: { email: null, name: null, registeredAt: null, deactivatedAt: null },
  initial: 'none',
  states: {
    none: {
      on: {
        UserRegistered: {
          target: 'active',
          actions: assign(({ event }) => ({ ...event.data })),
        },
      },
    },
    active: {
      on: {
        UserEmailChanged: { actions: assign({ email: ({ event }) => event.data.email }) },
        UserDeactivated: {
          target: 'deactivated',
          actions: assign({ deactivatedAt: ({ event }) => event.data.deactivatedAt }),
        },
        UserDeleted: { target: 'deleted', actions: assign({ email: null, name: null }) },
      },
    },
    deactivated: {
      on: { UserDeleted: { target: 'deleted', actions: assign({ email: null, name: null }) } },
    },
    deleted: {},
  },
});
