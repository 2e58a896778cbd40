import { commandFor, reject } from 'chronicle-runtime';
import { z } from 'zod';
import type { ticketMachine } from './machine.js';

export const OpenTicket = z.strictObject({
  title: z.string().trim().min(1).max(200),
  customer: z.string().min(1),
  priority: z.enum(['low', 'normal', 'high']).default('normal'),
});
export const AssignTicket = z.strictObject({ agent: z.string().min(1) });
export const ResolveTicket = z.strictObject({ resolution: z.string().trim().min(1) });

const command = commandFor<typeof ticketMachine>();

/** What a ticket can be asked to do: each command's payload is checked by its schema, then decided. */
export const ticketCommands = {
  OpenTicket: command(OpenTicket, ({ data, metadata }) => [
    { type: 'TicketOpened', data: { ...data, openedAt: metadata.issuedAt } },
  ]),
  AssignTicket: command(AssignTicket, ({ data }, { context }) => {
    if (context.agent === data.agent) reject('ALREADY_ASSIGNED', `the ticket is already ${data.agent}'s`);
    return [{ type: 'TicketAssigned', data }];
  }),
  ResolveTicket: command(ResolveTicket, ({ data, metadata }, { context }) => {
    // a rule of the domain, beyond what the machine allows: someone must have worked on it
    if (context.agent === null) reject('UNASSIGNED', 'assign the ticket to an agent before resolving it');
    return [{ type: 'TicketResolved', data: { ...data, resolvedAt: metadata.issuedAt } }];
  }),
};
