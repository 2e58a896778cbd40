import { describe, expect, it, vi } from 'vitest';
import {
  type AnyStateMachine,
  assign,
  createMachine,
  enqueueActions,
  fromPromise,
  log,
  raise,
  sendTo,
  setup,
  spawnChild,
} from 'xstate';
import { isChronicleError } from '../errors/index.js';
import { assertPureMachine } from './assertPureMachine.js';
import { defineAggregate } from './defineAggregate.js';

const refusal = (machine: AnyStateMachine): string => {
  try {
    assertPureMachine('probe', machine);
  } catch (error) {
    if (isChronicleError(error, 'IMPURE_MACHINE')) return error.message;
    throw error;
  }
  return expect.fail('the machine was accepted');
};

describe('assertPureMachine', () => {
  it('refuses an inline custom action on a transition, naming the event and the state', () => {
    const sideEffect = vi.fn();
    const machine = createMachine({
      id: 'probe',
      initial: 'a',
      states: { a: { on: { Went: { target: 'b', actions: sideEffect } } }, b: {} },
    });
    expect(refusal(machine)).toMatch(/"Went" action ".*" in probe\.a/);
    expect(sideEffect).not.toHaveBeenCalled();
  });

  it('refuses a named custom action given by setup, by its name', () => {
    const machine = setup({ actions: { notifyCustomer: () => {} } }).createMachine({
      id: 'probe',
      initial: 'a',
      states: { a: { on: { Went: { target: 'b', actions: 'notifyCustomer' } } }, b: {} },
    });
    expect(refusal(machine)).toContain('"Went" action "notifyCustomer" in probe.a');
  });

  it('refuses custom entry, exit and eventless-transition actions', () => {
    const machine = createMachine({
      id: 'probe',
      initial: 'a',
      states: {
        a: {
          entry: () => {},
          exit: () => {},
          always: { guard: () => false, target: 'b', actions: () => {} },
        },
        b: {},
      },
    });
    const message = refusal(machine);
    expect(message).toContain('entry action');
    expect(message).toContain('exit action');
    expect(message).toContain('always action');
  });

  it.each([
    ['raise', raise({ type: 'Again' })],
    ['sendTo', sendTo('someone', { type: 'Hello' })],
    ['log', log('hello')],
    ['spawnChild', spawnChild(fromPromise(async () => 1))],
    ['enqueueActions', enqueueActions(({ enqueue }) => enqueue.assign({}))],
  ])('refuses the built-in %s action', (_, action) => {
    const machine = createMachine({ id: 'probe', on: { Went: { actions: action } } });
    expect(refusal(machine)).toContain('"Went" action');
  });

  it('refuses an invoked actor', () => {
    const machine = createMachine({
      id: 'probe',
      initial: 'a',
      states: { a: { invoke: { src: fromPromise(async () => 'charged') } } },
    });
    expect(refusal(machine)).toContain('invoked actor in probe.a');
  });

  it('refuses a delayed transition', () => {
    const machine = createMachine({
      id: 'probe',
      initial: 'a',
      states: { a: { after: { 1000: 'b' } }, b: {} },
    });
    expect(refusal(machine)).toContain('delayed transition in probe.a');
  });

  it('accepts a machine whose only actions are assign, inline or named, with or without params', () => {
    const machine = setup({
      types: { context: {} as { total: number; last: string } },
      actions: {
        add: assign(({ context }, params: { amount: number }) => ({ total: context.total + params.amount })),
        reset: assign({ total: 0 }),
      },
    }).createMachine({
      id: 'probe',
      context: { total: 0, last: '' },
      entry: 'reset',
      initial: 'open',
      states: {
        open: {
          entry: assign({ last: 'opened' }),
          exit: [{ type: 'reset' }],
          always: {
            guard: ({ context }) => context.total > 100,
            target: 'full',
            actions: assign({ last: 'full' }),
          },
          on: {
            Added: { actions: [{ type: 'add', params: { amount: 1 } }, assign({ last: 'added' })] },
            Closed: 'closed',
          },
        },
        full: {},
        closed: {},
      },
    });
    expect(() => assertPureMachine('probe', machine)).not.toThrow();
  });

  it('is what defineAggregate runs: an impure machine is never defined, and its action never runs', () => {
    const sideEffect = vi.fn();
    const machine = createMachine({ id: 'probe', entry: sideEffect, on: { Went: { actions: sideEffect } } });
    expect(() => defineAggregate({ type: 'probe', machine, commands: {} })).toThrow(
      expect.objectContaining({ code: 'IMPURE_MACHINE' }),
    );
    expect(sideEffect).not.toHaveBeenCalled();
  });
});
