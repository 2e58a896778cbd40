import { assign, setup } from 'xstate';
import { z } from 'zod';
import { commandFor, defineAggregate } from '../../../src/aggregate/index.js';
import { eventVersions } from '../../../src/eventSchemas/index.js';
import { defineProjection } from '../../../src/projections/index.js';

/**
 * Two releases of one small domain, as a team would ship them. Release 2 adds, in one rolling step:
 * a version of TicketOpened (with `priority`) and its upcaster, an optional payload field
 * (OpenTicket's `priority`), and a command (CloseTicket, with its event TicketClosed).
 */

type OpenedV1 = { title: string };
type OpenedV2 = OpenedV1 & { priority: 'low' | 'normal' | 'high' };

type TicketEvent<Opened> =
  | { type: 'TicketOpened'; data: Opened }
  | { type: 'NoteAdded'; data: { text: string } }
  | { type: 'TicketClosed'; data: Record<string, never> };

const ticketMachine = <Opened>() =>
  setup({ types: { context: {} as { notes: number }, events: {} as TicketEvent<Opened> } }).createMachine({
    id: 'ticket',
    context: { notes: 0 },
    initial: 'new',
    states: {
      new: { on: { TicketOpened: 'open' } },
      open: {
        on: {
          NoteAdded: { actions: assign(({ context }) => ({ notes: context.notes + 1 })) },
          TicketClosed: 'closed',
        },
      },
      closed: {},
    },
  });

const machineV1 = ticketMachine<OpenedV1>();
const machineV2 = ticketMachine<OpenedV2>();
const v1 = commandFor<typeof machineV1>();
const v2 = commandFor<typeof machineV2>();
const AddNote = z.strictObject({ text: z.string().min(1) });

export const ticketV1 = defineAggregate({
  type: 'ticket',
  machine: machineV1,
  commands: {
    OpenTicket: v1(z.strictObject({ title: z.string().min(1) }), ({ data }) => [
      { type: 'TicketOpened', data },
    ]),
    AddNote: v1(AddNote, ({ data }) => [{ type: 'NoteAdded', data }]),
  },
});

export const ticketV2 = defineAggregate({
  type: 'ticket',
  machine: machineV2,
  commands: {
    OpenTicket: v2(
      z.strictObject({
        title: z.string().min(1),
        priority: z.enum(['low', 'normal', 'high']).default('normal'),
      }),
      ({ data }) => [{ type: 'TicketOpened', data }],
    ),
    AddNote: v2(AddNote, ({ data }) => [{ type: 'NoteAdded', data }]),
    CloseTicket: v2(z.strictObject({}).default({}), () => [{ type: 'TicketClosed', data: {} }]),
  },
  events: {
    // version 1 was written before tickets had a priority: they read as normal
    TicketOpened: eventVersions<OpenedV1>().upcast((data): OpenedV2 => ({ ...data, priority: 'normal' })),
  },
});

/** Both releases' projection (its code did not change): every ticket event, and how often it was applied. */
export const ticketLog = defineProjection({
  name: 'ticket_log',
  events: ['TicketOpened', 'NoteAdded', 'TicketClosed'],
  tables: ['ticket_log'],
  handle: async (event, tx) => {
    await tx.raw(
      `insert into ticket_log (event_id, type, schema_version, applied) values (?, ?, ?, 1)
       on conflict (event_id) do update set applied = ticket_log.applied + 1`,
      [event.eventId, event.type, event.schemaVersion],
    );
  },
  reset: async (tx) => {
    await tx.raw('truncate ticket_log');
  },
});

export const ticketLogTable = `create table if not exists ticket_log (
  event_id text primary key, type text not null, schema_version int not null, applied int not null)`;
