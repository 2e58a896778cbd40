import { assign, setup } from 'xstate';
import type { Priority, TicketEvent } from './events.js';

export type TicketContext = {
  readonly title: string | null;
  readonly customer: string | null;
  readonly priority: Priority | null;
  readonly agent: string | null;
  readonly resolution: string | null;
};

/**
 * A support ticket: opened, worked on (assigned, reassigned), resolved. The machine says which
 * event may happen in which state; a command whose events it refuses is rejected.
 */
export const ticketMachine = setup({
  types: { context: {} as TicketContext, events: {} as TicketEvent },
}).createMachine({
  id: 'ticket',
  context: { title: null, customer: null, priority: null, agent: null, resolution: null },
  initial: 'none',
  states: {
    none: {
      on: {
        TicketOpened: {
          target: 'open',
          actions: assign(({ event }) => ({
            title: event.data.title,
            customer: event.data.customer,
            priority: event.data.priority,
          })),
        },
      },
    },
    open: {
      on: {
        TicketAssigned: { actions: assign({ agent: ({ event }) => event.data.agent }) },
        TicketResolved: {
          target: 'resolved',
          actions: assign({ resolution: ({ event }) => event.data.resolution }),
        },
      },
    },
    resolved: {},
  },
});
