import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { reject } from '../errors/index.js';
import type { CommandEnvelope } from '../messages/index.js';
import { AggregateInstance } from './aggregateInstance.js';
import { createAggregateRegistry } from './aggregateRegistry.js';
import { decideCommand } from './decideCommand.js';
import { defineAggregate } from './defineAggregate.js';
import { precheckCommand } from './precheckCommand.js';

type DoorEvent =
  | { readonly type: 'Opened'; readonly data: { readonly by: string } }
  | { readonly type: 'Closed'; readonly data: Record<string, never> };

const doorMachine = setup({
  types: { context: {} as { openedBy: string | null }, events: {} as DoorEvent },
}).createMachine({
  id: 'door',
  context: { openedBy: null },
  initial: 'closed',
  states: {
    closed: {
      on: { Opened: { target: 'open', actions: assign({ openedBy: ({ event }) => event.data.by }) } },
    },
    open: { on: { Closed: 'closed' } },
  },
});

const schemas = {
  Open: z.strictObject({ by: z.string() }),
  OpenTwice: z.strictObject({}),
  Slam: z.strictObject({}),
  Lock: z.strictObject({}),
  Crash: z.strictObject({}),
};

const door = defineAggregate({
  type: 'door',
  machine: doorMachine,
  commands: {
    Open: {
      schema: schemas.Open,
      decide: ({ data }): DoorEvent[] => [{ type: 'Opened', data: { by: data.by } }],
    },
    OpenTwice: {
      schema: schemas.OpenTwice,
      decide: (): DoorEvent[] => [
        { type: 'Opened', data: { by: 'a' } },
        { type: 'Opened', data: { by: 'b' } },
      ],
    },
    Slam: {
      schema: schemas.Slam,
      decide: (): DoorEvent[] => [
        { type: 'Opened', data: { by: 'wind' } },
        { type: 'Closed', data: {} },
      ],
    },
    Lock: {
      schema: schemas.Lock,
      decide: () => reject('DOOR_OPEN', 'close the door first', { hint: 'Close' }),
    },
    Crash: {
      schema: schemas.Crash,
      decide: () => {
        throw new RangeError('a bug in decide');
      },
    },
  },
});

const envelope = (type: string, payload: unknown = {}): CommandEnvelope => ({
  commandId: 'c-1',
  aggregateType: 'door',
  aggregateId: 'd-1',
  type,
  payload,
  correlationId: 'c-1',
  causationId: 'c-1',
  issuedAt: '2025-01-01T00:00:00.000Z',
});

const closedDoor = () => AggregateInstance.hydrate(door, 'd-1', undefined, []);

const registry = createAggregateRegistry([door]);

/** As the worker runs it: precheck, then decide. */
const decide = (actor: AggregateInstance, command: CommandEnvelope) => {
  const known = precheckCommand(registry, command);
  if (known.status !== 'known') throw new Error(`precheck refused ${command.type}: ${known.message}`);
  return decideCommand(known, actor, command);
};

describe('decideCommand', () => {
  it('walks every decided event through the machine and returns the state they lead to', () => {
    const decision = decide(closedDoor(), envelope('Slam'));
    expect(decision).toMatchObject({
      status: 'decided',
      events: [
        { type: 'Opened', data: { by: 'wind' } },
        { type: 'Closed', data: {} },
      ],
    });
    if (decision.status === 'decided') {
      expect(decision.next.value).toBe('closed');
      expect(decision.next.context).toEqual({ openedBy: 'wind' });
    }
  });

  it('rejects the whole command when a later event meets a state that does not accept it', () => {
    expect(decide(closedDoor(), envelope('OpenTwice'))).toEqual({
      status: 'rejected',
      code: 'INVALID_TRANSITION',
      message: 'door in state open does not accept Opened',
      details: { state: 'open', event: 'Opened' },
    });
  });

  it('does not touch the live actor: deciding is pure', () => {
    const actor = closedDoor();
    decide(actor, envelope('Open', { by: 'me' }));
    expect(actor.state).toEqual({ value: 'closed', context: { openedBy: null }, version: 0 });
  });

  it('turns a rejection thrown by decide into a rejected decision, with its details', () => {
    expect(decide(closedDoor(), envelope('Lock'))).toEqual({
      status: 'rejected',
      code: 'DOOR_OPEN',
      message: 'close the door first',
      details: { hint: 'Close' },
    });
  });

  it('lets any other error out: a bug is not an answer', () => {
    expect(() => decide(closedDoor(), envelope('Crash'))).toThrow(RangeError);
  });
});
