import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { defineAggregate } from '../aggregate/index.js';
import { isChronicleError } from '../errors/index.js';
import { eventVersions } from '../eventSchemas/index.js';
import {
  defineProcessManager,
  type ProcessEmitted,
  type ProcessInput,
  sendCommand,
} from '../processManagers/index.js';
import { createInMemoryRuntime } from './createInMemoryRuntime.js';
import { createTestClock } from './testClock.js';

type SwitchedOnV1 = { readonly by: string };
type SwitchedOn = { readonly by: string; readonly colour: string };
type LampEvent =
  | { readonly type: 'SwitchedOn'; readonly data: SwitchedOn }
  | { readonly type: 'SwitchedOff'; readonly data: Record<string, never> };

const lampMachine = setup({
  types: { context: {} as { switches: number; colour: string | null }, events: {} as LampEvent },
}).createMachine({
  id: 'lamp',
  context: { switches: 0, colour: null },
  initial: 'off',
  states: {
    off: {
      on: {
        SwitchedOn: {
          target: 'on',
          actions: assign(({ context, event }) => ({
            switches: context.switches + 1,
            colour: event.data.colour,
          })),
        },
      },
    },
    on: { on: { SwitchedOff: 'off' } },
  },
});

// version 1 had no colour; lamps then were all white
const lamp = defineAggregate({
  type: 'lamp',
  machine: lampMachine,
  events: {
    SwitchedOn: eventVersions<SwitchedOnV1>()
      .upcast((data): SwitchedOn => ({ ...data, colour: 'white' }))
      .wasNamed('TurnedOn'),
  },
  commands: {
    SwitchOn: {
      schema: z.strictObject({ by: z.string(), colour: z.string().default('warm') }),
      decide: ({ data }): LampEvent[] => [{ type: 'SwitchedOn', data }],
    },
    SwitchOff: { schema: z.strictObject({}), decide: (): LampEvent[] => [{ type: 'SwitchedOff', data: {} }] },
  },
});

const switchOn = (id: string, payload: object = { by: 'ann' }, commandId?: string) => ({
  aggregateType: 'lamp',
  aggregateId: id,
  type: 'SwitchOn',
  payload,
  ...(commandId ? { commandId } : {}),
});
const switchOff = (id: string) => ({
  aggregateType: 'lamp',
  aggregateId: id,
  type: 'SwitchOff',
  payload: {},
});

describe('the in-memory runtime', () => {
  it('answers a command as a command pod does, and reads back its events and state', async () => {
    const clock = createTestClock('2025-01-01T12:00:00.000Z');
    const runtime = createInMemoryRuntime({ aggregates: [lamp], clock });
    const result = await runtime.send(switchOn('l-1'));
    expect(result).toMatchObject({
      status: 'accepted',
      aggregateType: 'lamp',
      aggregateId: 'l-1',
      version: 1,
    });
    const [event] = await runtime.events('lamp', 'l-1');
    expect(event).toMatchObject({
      type: 'SwitchedOn',
      data: { by: 'ann', colour: 'warm' },
      schemaVersion: 2,
      recordedAt: '2025-01-01T12:00:00.000Z',
      metadata: { issuedAt: '2025-01-01T12:00:00.000Z' },
    });
    expect(await runtime.state('lamp', 'l-1')).toEqual({
      value: 'on',
      context: { switches: 1, colour: 'warm' },
      version: 1,
    });
    expect(await runtime.send(switchOn('l-1'))).toMatchObject({
      status: 'rejected',
      code: 'INVALID_TRANSITION',
    });
    runtime.close();
  });

  it('answers a command id once, refuses it for another command, and records rejections in the ledger', async () => {
    const runtime = createInMemoryRuntime({ aggregates: [lamp] });
    const first = await runtime.send(switchOn('l-1', { by: 'ann' }, 'c-1'));
    expect(await runtime.send(switchOn('l-1', { by: 'ann' }, 'c-1'))).toEqual(first);
    expect(await runtime.send(switchOn('l-1', { by: 'bob' }, 'c-1'))).toMatchObject({
      status: 'rejected',
      code: 'COMMAND_ID_REUSED',
    });
    expect(await runtime.send({ ...switchOff('l-2'), commandId: 'c-1' })).toMatchObject({
      status: 'rejected',
      code: 'COMMAND_ID_REUSED',
    });
    expect(await runtime.events('lamp', 'l-1')).toHaveLength(1);
    expect(await runtime.events('lamp', 'l-2')).toEqual([]);

    const refused = await runtime.send({ ...switchOn('l-3', { by: 7 }), commandId: 'c-2' });
    expect(refused).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await runtime.store.findCommand('c-2')).toMatchObject({ type: 'SwitchOn', result: refused });
    // a malformed envelope is answered and not recorded, as on the pods
    expect(await runtime.send({ ...switchOff('l-3'), commandId: 'not an id!' })).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await runtime.store.findCommand('not an id!')).toBeUndefined();
    runtime.close();
  });

  it('reads events an older release stored (older version, old name) in the current shape', async () => {
    const runtime = createInMemoryRuntime({ aggregates: [lamp] });
    runtime.store.insertStored([
      { streamType: 'lamp', streamId: 'l-old', type: 'TurnedOn', schemaVersion: 1, data: { by: 'ann' } },
      { streamType: 'lamp', streamId: 'l-old', type: 'SwitchedOff', schemaVersion: 1, data: {} },
    ]);
    expect(
      (await runtime.events('lamp', 'l-old')).map(({ type, schemaVersion, data }) => ({
        type,
        schemaVersion,
        data,
      })),
    ).toEqual([
      { type: 'SwitchedOn', schemaVersion: 2, data: { by: 'ann', colour: 'white' } },
      { type: 'SwitchedOff', schemaVersion: 1, data: {} },
    ]);
    // hydration folds the upcast shape, and a new command on that history is decided on it
    expect(await runtime.send(switchOn('l-old', { by: 'bob', colour: 'red' }))).toMatchObject({
      status: 'accepted',
      version: 3,
    });
    expect((await runtime.state('lamp', 'l-old')).context).toEqual({ switches: 2, colour: 'red' });
    runtime.close();
  });

  it('refuses an event stored in a version newer than the code knows, naming it', async () => {
    const runtime = createInMemoryRuntime({ aggregates: [lamp] });
    runtime.store.insertStored([
      { streamType: 'lamp', streamId: 'l-new', type: 'SwitchedOn', schemaVersion: 3, data: { by: 'ann' } },
    ]);
    const refused = await runtime.events('lamp', 'l-new').catch((error: unknown) => error);
    expect(isChronicleError(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'EVENT_SCHEMA', message: expect.stringContaining('SwitchedOn') });
    await expect(runtime.send(switchOff('l-new'))).rejects.toMatchObject({ code: 'EVENT_SCHEMA' });
    runtime.close();
  });

  it('fails, not hangs, when a process manager feeds itself for ever', async () => {
    // every SwitchedOn switches the lamp off, every SwitchedOff switches it on again
    const flicker = defineProcessManager({
      name: 'flicker',
      machine: setup({
        types: { events: {} as ProcessInput<'SwitchedOn' | 'SwitchedOff'>, emitted: {} as ProcessEmitted },
      }).createMachine({
        on: {
          SwitchedOn: { actions: sendCommand(({ event }) => switchOff(event.source?.streamId ?? '')) },
          SwitchedOff: { actions: sendCommand(({ event }) => switchOn(event.source?.streamId ?? '')) },
        },
      }),
      correlate: { SwitchedOn: (event) => event.streamId, SwitchedOff: (event) => event.streamId },
    });
    const runtime = createInMemoryRuntime({ aggregates: [lamp], processManagers: [flicker], maxSteps: 200 });
    await expect(runtime.send(switchOn('l-loop'))).rejects.toThrow('did not settle after 200 steps');
    runtime.close();
  });

  it('states only aggregates and process managers it runs', async () => {
    const runtime = createInMemoryRuntime({ aggregates: [lamp] });
    await expect(runtime.state('kettle', 'k-1')).rejects.toMatchObject({ code: 'UNKNOWN_AGGREGATE' });
    runtime.close();
  });
});

describe('the test clock', () => {
  it('moves only when told to, and never backwards', async () => {
    const clock = createTestClock('2025-01-01T00:00:00.000Z');
    await clock.advance(1_500);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:01.500Z');
    await expect(clock.advance(-1)).rejects.toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
    expect(() => createTestClock('not a time')).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
  });
});
