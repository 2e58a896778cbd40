import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { type Aggregate, createAggregateRegistry, defineAggregate } from '../aggregate/index.js';
import { reject } from '../errors/index.js';
import type { EventToFold, LedgerCommand } from '../eventStore/index.js';
import { replayStream } from './replayStream.js';

type LampEvent = { type: 'SwitchedOn'; data: { by: string } } | { type: 'SwitchedOff'; data: object };

const machineWith = (offAccepts: boolean) =>
  setup({ types: { context: {} as { by: string | null }, events: {} as LampEvent } }).createMachine({
    context: { by: null },
    initial: 'off',
    states: {
      off: offAccepts
        ? { on: { SwitchedOn: { target: 'on', actions: assign(({ event }) => ({ by: event.data.by })) } } }
        : {},
      on: { on: { SwitchedOff: 'off' } },
    },
  });

const lamp = (
  options: { offAccepts?: boolean; switchOn?: (by: string) => readonly LampEvent[] } = {},
): Aggregate =>
  defineAggregate({
    type: 'lamp',
    machine: machineWith(options.offAccepts ?? true),
    commands: {
      SwitchOn: {
        schema: z.strictObject({ by: z.string() }),
        decide: ({ data }) =>
          options.switchOn?.(data.by) ?? [{ type: 'SwitchedOn' as const, data: { by: data.by } }],
      },
      SwitchOff: { schema: z.strictObject({}), decide: () => [{ type: 'SwitchedOff' as const, data: {} }] },
    },
  }) as unknown as Aggregate;

const stream = { streamType: 'lamp', streamId: 'l-1' };
const events: EventToFold[] = [
  { version: 1, type: 'SwitchedOn', data: { by: 'ann' } },
  { version: 2, type: 'SwitchedOff', data: {} },
];
const recorded = (
  commandId: string,
  type: string,
  payload: unknown,
  decidedAt: number,
  answer: LedgerCommand['answer'],
): LedgerCommand => ({
  ...stream,
  commandId,
  type,
  payload,
  recordedAt: '2026-12-07T10:00:00.000Z',
  decidedAt,
  answer,
});
const ledger = [
  recorded('c1', 'SwitchOn', { by: 'ann' }, 0, { status: 'accepted', lastVersion: 1 }),
  recorded('c2', 'SwitchOff', {}, 1, { status: 'accepted', lastVersion: 2 }),
  recorded('c3', 'SwitchOff', {}, 2, { status: 'rejected', code: 'INVALID_TRANSITION', message: 'off' }),
];

const replay = (candidate: Aggregate, commands = ledger) =>
  replayStream(createAggregateRegistry([candidate]), candidate, stream, events, commands);

describe('replayStream: one stream through a candidate', () => {
  it('given the aggregate that wrote it, folds every event and decides every command the same', () => {
    const result = replay(lamp());
    expect(result).toMatchObject({ divergences: [], commandsChecked: 3, commandsSame: 3, eventsFolded: 2 });
  });

  it('reports the first event the candidate machine refuses, and checks nothing after it', () => {
    const result = replay(lamp({ offAccepts: false }));
    expect(result.divergences.map((divergence) => divergence.kind)).toEqual([
      'now-rejected',
      'event-refused',
    ]);
    expect(result.divergences[1]).toMatchObject({ version: 1, state: 'off', event: 'SwitchedOn' });
    expect(result).toMatchObject({ commandsChecked: 1, commandsNotChecked: 2, eventsFolded: 0 });
  });

  it('tells other events, a rejection, an acceptance and a failing decide apart', () => {
    const other = replay(
      lamp({ switchOn: (by) => [{ type: 'SwitchedOn', data: { by: by.toUpperCase() } }] }),
    );
    expect(other.divergences).toMatchObject([
      {
        kind: 'other-events',
        commandId: 'c1',
        stored: { status: 'accepted', events: [{ type: 'SwitchedOn', data: { by: 'ann' } }] },
        candidate: { status: 'accepted', events: [{ type: 'SwitchedOn', data: { by: 'ANN' } }] },
      },
    ]);
    const refused = replay(lamp({ switchOn: () => reject('CLOSED', 'closed') }));
    expect(refused.divergences).toMatchObject([
      { kind: 'now-rejected', candidate: { status: 'rejected', code: 'CLOSED' } },
    ]);
    const wasRejected = recorded('c4', 'SwitchOn', { by: 'bob' }, 2, {
      status: 'rejected',
      code: 'BUSY',
      message: 'busy',
    });
    expect(replay(lamp(), [wasRejected]).divergences).toMatchObject([
      { kind: 'now-accepted', version: 2, candidate: { status: 'accepted' } },
    ]);
    const failing = replay(
      lamp({
        switchOn: () => {
          throw new Error('a bug');
        },
      }),
    );
    expect(failing.divergences).toMatchObject([
      { kind: 'decide-failed', candidate: { status: 'failed', message: 'a bug' } },
    ]);
  });

  it('skips a command whose payload the ledger did not keep, and prechecks the others', () => {
    const result = replay(lamp(), [
      recorded('c1', 'SwitchOn', undefined, 0, { status: 'accepted', lastVersion: 1 }),
      recorded('c2', 'SwitchOff', { extra: true }, 1, { status: 'accepted', lastVersion: 2 }),
    ]);
    expect(result).toMatchObject({ payloadNotKept: 1, commandsChecked: 1 });
    expect(result.divergences).toMatchObject([
      { kind: 'now-rejected', commandId: 'c2', candidate: { status: 'rejected', code: 'VALIDATION' } },
    ]);
  });
});
