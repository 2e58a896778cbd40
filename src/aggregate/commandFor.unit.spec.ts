import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { specFor } from '../testing/index.js';
import { commandFor } from './commandFor.js';
import { defineAggregate } from './defineAggregate.js';

type LampEvent = { type: 'SwitchedOn'; data: { by: string } } | { type: 'SwitchedOff'; data: object };

const lampMachine = setup({
  types: { context: {} as { by: string | null }, events: {} as LampEvent },
}).createMachine({
  context: { by: null },
  initial: 'off',
  states: {
    off: { on: { SwitchedOn: { target: 'on', actions: assign(({ event }) => ({ by: event.data.by })) } } },
    on: { on: { SwitchedOff: 'off' } },
  },
});

const command = commandFor<typeof lampMachine>();

// written inline: payload, state and the events decide may return are all typed from the machine
const lamp = defineAggregate({
  type: 'lamp',
  machine: lampMachine,
  commands: {
    SwitchOn: command(z.strictObject({ by: z.string() }), ({ data }) => [
      { type: 'SwitchedOn', data: { by: data.by } },
    ]),
    SwitchOff: command(z.strictObject({}), (_, { context }) =>
      context.by ? [{ type: 'SwitchedOff', data: {} }] : [],
    ),
  },
});

// an event the machine does not know is a compile error (npm test type-checks this file)
command(z.strictObject({}), () => [
  // @ts-expect-error 'Exploded' is not one of the lamp's events
  { type: 'Exploded', data: {} },
]);

describe('commandFor', () => {
  it('types inline commands that run as any other', () => {
    specFor(lamp)
      .given([])
      .when({ type: 'SwitchOn', data: { by: 'ada' } })
      .then([{ type: 'SwitchedOn', data: { by: 'ada' } }]);
    specFor(lamp)
      .given([{ type: 'SwitchedOn', data: { by: 'ada' } }])
      .when({ type: 'SwitchOn', data: { by: 'bob' } })
      .thenRejected('INVALID_TRANSITION');
    expect(Object.keys(lamp.commands)).toEqual(['SwitchOn', 'SwitchOff']);
  });
});
