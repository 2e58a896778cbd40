import { defineProjection, type ProjectionQuery, type RecordedOf } from 'chronicle-runtime';
import { z } from 'zod';
import type { TicketEvent } from './ticket/index.js';

const TicketsQuery = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

type Row = {
  ticket_id: string;
  title: string;
  customer: string;
  priority: string;
  agent: string | null;
  status: string;
  opened_at: string | Date;
  resolved_at: string | Date | null;
};

const isoTime = (time: string | Date) => new Date(time).toISOString();

/** GET /v1/tickets?status=open&limit=20: the newest tickets first, from tickets_view. */
const ticketsQuery: ProjectionQuery = {
  path: 'tickets',
  summary: 'Tickets, newest first (status, limit 1..100)',
  query: TicketsQuery,
  run: async (db, input) => {
    const { status, limit } = input as z.output<typeof TicketsQuery>;
    const { rows } = (await db.raw(
      `select * from tickets_view where (?::text is null or status = ?) order by opened_at desc limit ?`,
      [status ?? null, status ?? null, limit],
    )) as { rows: Row[] };
    const tickets = rows.map((row) => ({
      ticketId: row.ticket_id,
      title: row.title,
      customer: row.customer,
      priority: row.priority,
      agent: row.agent,
      status: row.status,
      openedAt: isoTime(row.opened_at),
      resolvedAt: row.resolved_at === null ? null : isoTime(row.resolved_at),
    }));
    return { status: 'ok', data: { tickets } };
  },
};

/**
 * One row per ticket (migrations/…_tickets_view.ts creates the table). Each event runs in the
 * transaction that moves the projection's checkpoint, so a row is written exactly once per event.
 */
export const ticketsView = defineProjection<RecordedOf<TicketEvent>>({
  name: 'tickets_view',
  events: ['TicketOpened', 'TicketAssigned', 'TicketResolved'],
  tables: ['tickets_view'],
  queries: [ticketsQuery],
  handle: async (event, tx) => {
    switch (event.type) {
      case 'TicketOpened':
        await tx.raw(
          `insert into tickets_view (ticket_id, title, customer, priority, status, opened_at)
           values (?, ?, ?, ?, 'open', ?)`,
          [event.streamId, event.data.title, event.data.customer, event.data.priority, event.data.openedAt],
        );
        return;
      case 'TicketAssigned':
        await tx.raw('update tickets_view set agent = ? where ticket_id = ?', [
          event.data.agent,
          event.streamId,
        ]);
        return;
      case 'TicketResolved':
        await tx.raw(`update tickets_view set status = 'resolved', resolved_at = ? where ticket_id = ?`, [
          event.data.resolvedAt,
          event.streamId,
        ]);
        return;
    }
  },
  reset: async (tx) => {
    await tx.raw('truncate tickets_view');
  },
});
