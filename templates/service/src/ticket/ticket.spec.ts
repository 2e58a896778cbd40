import { createInMemoryRuntime, specDefaults, specFor } from 'chronicle-runtime/testing';
import { describe, expect, it } from 'vitest';
import type { TicketEvent } from './events.js';
import { ticket } from './index.js';

const opened: TicketEvent = {
  type: 'TicketOpened',
  data: { title: 'Cannot log in', customer: 'acme', priority: 'high', openedAt: '2026-01-01T09:00:00.000Z' },
};
const assigned: TicketEvent = { type: 'TicketAssigned', data: { agent: 'ada' } };

// given events, when a command, then events (or a rejection) and a state
const spec = specFor(ticket);

describe('ticket', () => {
  it('is opened, at normal priority unless told otherwise', () => {
    spec
      .when({ type: 'OpenTicket', data: { title: 'Cannot log in', customer: 'acme' } })
      .then([
        {
          type: 'TicketOpened',
          data: {
            title: 'Cannot log in',
            customer: 'acme',
            priority: 'normal',
            openedAt: specDefaults.issuedAt,
          },
        },
      ])
      .thenState({ value: 'open' });
  });

  it('refuses a ticket without a title', () => {
    spec
      .when({ type: 'OpenTicket', data: { title: ' ', customer: 'acme' } })
      .thenRejected('VALIDATION', 'title');
  });

  it('is resolved once an agent has it', () => {
    spec
      .given([opened, assigned])
      .when({ type: 'ResolveTicket', data: { resolution: 'password reset' } })
      .then([
        { type: 'TicketResolved', data: { resolution: 'password reset', resolvedAt: specDefaults.issuedAt } },
      ])
      .thenState({ value: 'resolved', context: { agent: 'ada' } });
  });

  it('is not resolved while nobody is assigned', () => {
    spec
      .given([opened])
      .when({ type: 'ResolveTicket', data: { resolution: 'done' } })
      .thenRejected('UNASSIGNED');
  });

  it('cannot be assigned once resolved', () => {
    spec
      .given([
        opened,
        assigned,
        { type: 'TicketResolved', data: { resolution: 'done', resolvedAt: opened.data.openedAt } },
      ])
      .when({ type: 'AssignTicket', data: { agent: 'grace' } })
      .thenRejected('INVALID_TRANSITION');
  });
});

describe('a ticket in the in-memory runtime (no Redis, no PostgreSQL)', () => {
  it('answers each command as a command pod would', async () => {
    const runtime = createInMemoryRuntime({ aggregates: [ticket] });
    const send = (type: string, payload: object) =>
      runtime.send({ aggregateType: 'ticket', aggregateId: 't-1', type, payload });

    expect(await send('OpenTicket', { title: 'Printer on fire', customer: 'initech' })).toMatchObject({
      status: 'accepted',
    });
    expect(await send('ResolveTicket', { resolution: 'extinguished' })).toMatchObject({
      status: 'rejected',
      code: 'UNASSIGNED',
    });
    await send('AssignTicket', { agent: 'grace' });
    await send('ResolveTicket', { resolution: 'extinguished' });

    expect((await runtime.state('ticket', 't-1')).value).toBe('resolved');
    expect((await runtime.events('ticket', 't-1')).map((event) => event.type)).toEqual([
      'TicketOpened',
      'TicketAssigned',
      'TicketResolved',
    ]);
    runtime.close();
  });
});
