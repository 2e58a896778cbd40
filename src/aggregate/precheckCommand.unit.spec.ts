import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import type { CommandEnvelope } from '../messages/index.js';
import { createAggregateRegistry } from './aggregateRegistry.js';
import { defineAggregate } from './defineAggregate.js';
import { precheckCommand } from './precheckCommand.js';

const lamp = defineAggregate({
  type: 'lamp',
  machine: setup({
    types: { context: {} as { watts: number }, events: {} as { type: 'Lit'; data: { watts: number } } },
  }).createMachine({
    context: { watts: 0 },
    on: { Lit: { actions: assign({ watts: ({ event }) => event.data.watts }) } },
  }),
  commands: {
    Light: {
      schema: z.strictObject({ watts: z.number().int().positive().default(40) }),
      decide: ({ data }) => [{ type: 'Lit' as const, data }],
    },
  },
});

const registry = createAggregateRegistry([lamp]);

const envelope = (overrides: Partial<CommandEnvelope> = {}): CommandEnvelope => ({
  commandId: 'c-1',
  aggregateType: 'lamp',
  aggregateId: 'l-1',
  type: 'Light',
  payload: {},
  correlationId: 'c-1',
  causationId: 'c-1',
  issuedAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

describe('precheckCommand', () => {
  it('given a known command with a valid payload, hands over its aggregate and the parsed payload', () => {
    const known = precheckCommand(registry, envelope());
    expect(known).toMatchObject({ status: 'known', aggregate: lamp, data: { watts: 40 } });
  });

  it('answers an unknown aggregate type with UNKNOWN_AGGREGATE, naming the known ones', () => {
    expect(precheckCommand(registry, envelope({ aggregateType: 'spaceship' }))).toEqual({
      status: 'rejected',
      commandId: 'c-1',
      code: 'UNKNOWN_AGGREGATE',
      message: 'no aggregate type "spaceship"',
      details: { known: ['lamp'] },
    });
  });

  it('answers a command the aggregate does not have with UNKNOWN_COMMAND', () => {
    expect(precheckCommand(registry, envelope({ type: 'toString' }))).toEqual({
      status: 'rejected',
      commandId: 'c-1',
      code: 'UNKNOWN_COMMAND',
      message: 'aggregate "lamp" has no command "toString"',
      details: { known: ['Light'] },
    });
  });

  it('answers a payload its schema refuses with VALIDATION naming the field', () => {
    expect(precheckCommand(registry, envelope({ payload: { watts: -1 } }))).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      message: expect.stringMatching(/^watts: /),
      details: { issues: [{ path: 'watts' }] },
    });
  });

  it('checks the envelope first: a malformed id is VALIDATION whatever the aggregate', () => {
    expect(
      precheckCommand(registry, envelope({ commandId: 'a:b', aggregateType: 'spaceship' })),
    ).toMatchObject({ status: 'rejected', code: 'VALIDATION', message: expect.stringMatching(/^commandId/) });
  });

  it('is what registry.get throws for an unknown type, too', () => {
    expect(() => registry.get('spaceship')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_AGGREGATE', details: { known: ['lamp'] } }),
    );
  });
});
