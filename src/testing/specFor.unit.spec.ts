import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { defineAggregate } from '../aggregate/index.js';
import { reject } from '../errors/index.js';
import { specDefaults, specFor } from './specFor.js';

type LampEvent =
  | { readonly type: 'SwitchedOn'; readonly data: { readonly at: string; readonly by?: string } }
  | { readonly type: 'SwitchedOff'; readonly data: Record<string, never> };

const lampMachine = setup({
  types: { context: {} as { switches: number }, events: {} as LampEvent },
}).createMachine({
  id: 'lamp',
  context: { switches: 0 },
  initial: 'off',
  states: {
    off: {
      on: {
        SwitchedOn: { target: 'on', actions: assign(({ context }) => ({ switches: context.switches + 1 })) },
      },
    },
    on: { on: { SwitchedOff: 'off' } },
  },
});

const SwitchOn = z.strictObject({ by: z.string().optional() });
const lamp = defineAggregate({
  type: 'lamp',
  machine: lampMachine,
  commands: {
    SwitchOn: {
      schema: SwitchOn,
      decide: ({ data, metadata }): LampEvent[] => [
        { type: 'SwitchedOn', data: { at: metadata.issuedAt, by: data.by } },
      ],
    },
    SwitchOff: {
      schema: z.strictObject({}),
      decide: (_, { context }): LampEvent[] =>
        context.switches > 2
          ? reject('WORN_OUT', 'the switch is worn out')
          : [{ type: 'SwitchedOff', data: {} }],
    },
  },
});

const on: LampEvent = { type: 'SwitchedOn', data: { at: 'earlier' } };
const off: LampEvent = { type: 'SwitchedOff', data: {} };
const spec = specFor(lamp);

const assertionFrom = (fn: () => unknown): AssertionError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AssertionError) return error;
    throw error;
  }
  return expect.fail('no assertion failed');
};

describe('specFor', () => {
  it('decides from an envelope with fixed ids and time', () => {
    spec.when({ type: 'SwitchOn' }).then([{ type: 'SwitchedOn', data: { at: specDefaults.issuedAt } }]);
    spec
      .when({ type: 'SwitchOn', envelope: { issuedAt: '2031-01-01T00:00:00.000Z' } })
      .then([{ type: 'SwitchedOn', data: { at: '2031-01-01T00:00:00.000Z' } }]);
  });

  it('compares events as they would be stored: an undefined field is no field', () => {
    const { decision } = spec.when({ type: 'SwitchOn', data: {} });
    expect(decision).toMatchObject({ events: [{ data: { by: undefined } }] });
    spec
      .when({ type: 'SwitchOn', data: {} })
      .then([{ type: 'SwitchedOn', data: { at: specDefaults.issuedAt } }]);
  });

  it('folds the given events (versions 1..n) and the decided ones into the state it checks', () => {
    spec.given([on, off]).thenState({ value: 'off', context: { switches: 1 } });
    spec
      .given([on, off])
      .when({ type: 'SwitchOn' })
      .thenState({ value: 'on', context: { switches: 2 } });
  });

  it('fails with actual and expected events, for the runner to diff', () => {
    const error = assertionFrom(() => spec.when({ type: 'SwitchOn' }).then([off]));
    expect(error.message).toBe('SwitchOn decided other events');
    expect(error.actual).toEqual([{ type: 'SwitchedOn', data: { at: specDefaults.issuedAt } }]);
    expect(error.expected).toEqual([off]);
  });

  it('fails when events were expected but the command was rejected, saying why', () => {
    const error = assertionFrom(() => spec.given([on]).when({ type: 'SwitchOn' }).then([on]));
    expect(error.message).toBe(
      'expected events, but SwitchOn was rejected: INVALID_TRANSITION: lamp in state on does not accept SwitchedOn',
    );
  });

  it('fails when a rejection was expected but the command was accepted, or rejected otherwise', () => {
    expect(
      assertionFrom(() => spec.when({ type: 'SwitchOn' }).thenRejected('INVALID_TRANSITION')).message,
    ).toBe(
      `expected SwitchOn to be rejected with INVALID_TRANSITION, but it decided [{"type":"SwitchedOn","data":{"at":"${specDefaults.issuedAt}"}}]`,
    );
    const other = assertionFrom(() => spec.given([on]).when({ type: 'SwitchOn' }).thenRejected('VALIDATION'));
    expect(other.actual).toBe('INVALID_TRANSITION');
    expect(other.expected).toBe('VALIDATION');
    const message = assertionFrom(() =>
      spec.given([on]).when({ type: 'SwitchOn' }).thenRejected('INVALID_TRANSITION', /off/),
    );
    expect(message.message).toBe('rejection message does not match');
  });

  it('returns the rejection of a domain rule, with its code and message', () => {
    const history = [on, off, on, off, on];
    expect(spec.given(history).when({ type: 'SwitchOff' }).thenRejected('WORN_OUT')).toEqual({
      code: 'WORN_OUT',
      message: 'the switch is worn out',
    });
  });

  it('compares only the context keys given, and the whole state value', () => {
    const error = assertionFrom(() => spec.given([on]).thenState({ value: 'on', context: { switches: 2 } }));
    expect(error.actual).toEqual({ switches: 1 });
    expect(error.expected).toEqual({ switches: 2 });
    expect(assertionFrom(() => spec.given([on]).thenState({ value: 'off' })).message).toBe(
      'lamp is in state on',
    );
  });

  it('refuses a given history the machine would not have accepted', () => {
    expect(assertionFrom(() => spec.given([on, on]).thenState({})).message).toBe(
      'given event #2 (SwitchedOn) is not accepted by lamp in state on: this history could not have been recorded',
    );
  });

  it('is not a promise: awaiting a spec fails loudly instead of passing silently', async () => {
    const awaited = Promise.resolve().then(() => spec.when({ type: 'SwitchOn' }));
    await expect(awaited).rejects.toThrow('a spec is not a promise');
  });
});
