import { describe, expect, it } from 'vitest';
import {
  type AnyStateMachine,
  assign,
  createMachine,
  getInitialSnapshot,
  setup,
  stateIn,
  transition,
} from 'xstate';
import { initialSnapshot, startFold } from './eventFold.js';
import { foldPlansOf } from './foldPlans.js';

type Event = { readonly type: string; readonly data?: { readonly n?: number; readonly note?: string } };

/**
 * Parallel regions, an eventless transition on a `stateIn` guard, entry and exit assigns, a named
 * assign with params, a guard on context and data, a self-transition that re-enters, a final state.
 */
const machine = setup({
  types: {
    context: {} as { count: number; notes: string[]; entered: number; left: number },
    events: {} as Event,
  },
  guards: { isReady: stateIn('#m.on.main.ready') },
  actions: {
    note: assign(({ context }, params: { readonly note: string }) => ({
      notes: [...context.notes, params.note],
    })),
  },
}).createMachine({
  id: 'm',
  context: { count: 0, notes: [], entered: 0, left: 0 },
  initial: 'off',
  states: {
    off: { on: { Start: 'on' } },
    on: {
      type: 'parallel',
      on: { Stop: '#m.done' },
      states: {
        main: {
          initial: 'idle',
          states: {
            idle: { on: { Ready: 'ready' } },
            ready: {
              entry: assign({ entered: ({ context }) => context.entered + 1 }),
              exit: assign({ left: ({ context }) => context.left + 1 }),
              on: {
                Again: { target: 'ready', reenter: true },
                Add: [
                  { guard: ({ context, event }) => context.count + (event.data?.n ?? 0) > 5, target: 'idle' },
                  {
                    actions: assign({ count: ({ context, event }) => context.count + (event.data?.n ?? 0) }),
                  },
                ],
                Note: {
                  actions: { type: 'note', params: ({ event }) => ({ note: event.data?.note ?? '' }) },
                },
              },
            },
          },
        },
        side: {
          initial: 'waiting',
          states: {
            waiting: { always: { guard: 'isReady', target: 'seen', actions: assign({ notes: ['seen'] }) } },
            seen: {},
          },
        },
      },
    },
    done: { type: 'final' },
  },
});

/** The reference: XState's own exported pure transition, one event at a time. */
const byXState = (events: readonly Event[]) =>
  events.reduce(
    (state, event) => (state.status === 'active' ? transition(machine, state, event)[0] : state),
    getInitialSnapshot(machine),
  );

const byFold = (events: readonly Event[]) => {
  const fold = startFold(machine, initialSnapshot(machine));
  for (const event of events) if (fold.active()) fold.add(event);
  return fold.snapshot();
};

const same = (events: readonly Event[]) => {
  const { value, context, status, output } = byFold(events);
  const expected = byXState(events);
  expect({ value, context, status, output }).toEqual({
    value: expected.value,
    context: expected.context,
    status: expected.status,
    output: expected.output,
  });
};

describe('startFold', () => {
  it('learns a step only where the state value alone decides it', () => {
    const plans = foldPlansOf(machine);
    if (!plans) throw new Error('the machine has no fold plans');
    const on = { on: { main: 'ready', side: 'seen' } };
    // entry and exit assigns of the re-entered state, in XState's order
    const again = plans.step(JSON.stringify(on), on, 'Again');
    expect(again).toMatchObject({ kind: 'assigns', value: on });
    expect(again.kind === 'assigns' && again.assigns.length).toBe(2);
    // a guard on context and data decides: left to XState
    expect(plans.step(JSON.stringify(on), on, 'Add')).toEqual({ kind: 'xstate' });
    // a final state is reached: left to XState
    expect(plans.step(JSON.stringify(on), on, 'Stop')).toEqual({ kind: 'xstate' });
    // the eventless transition on stateIn fires after Ready, with its assign
    const idle = { on: { main: 'idle', side: 'waiting' } };
    expect(plans.step(JSON.stringify(idle), idle, 'Ready')).toMatchObject({ kind: 'assigns', value: on });
  });

  it('reaches the state XState reaches, through learnt steps and XState steps alike', () => {
    same([{ type: 'Start' }]);
    same([{ type: 'Start' }, { type: 'Ready' }, { type: 'Again' }, { type: 'Again' }]);
    same([
      { type: 'Start' },
      { type: 'Ready' },
      { type: 'Note', data: { note: 'a' } },
      { type: 'Note', data: { note: 'b' } },
    ]);
    same([
      { type: 'Start' },
      { type: 'Ready' },
      { type: 'Add', data: { n: 2 } },
      { type: 'Add', data: { n: 2 } },
    ]);
    same([
      { type: 'Start' },
      { type: 'Ready' },
      { type: 'Add', data: { n: 4 } },
      { type: 'Add', data: { n: 4 } },
      { type: 'Ready' },
    ]);
    same([{ type: 'Nothing' }, { type: 'Start' }, { type: 'Start' }, { type: 'Ready' }, { type: 'Stop' }]);
  });

  it('accepts exactly the events XState can take from the state reached', () => {
    const histories: Event[][] = [
      [],
      [{ type: 'Start' }],
      [{ type: 'Start' }, { type: 'Ready' }, { type: 'Note', data: { note: 'a' } }],
      [
        { type: 'Start' },
        { type: 'Ready' },
        { type: 'Add', data: { n: 4 } },
        { type: 'Add', data: { n: 4 } },
      ],
    ];
    const probes: Event[] = ['Start', 'Ready', 'Again', 'Add', 'Note', 'Stop', 'Nothing'].map((type) => ({
      type,
      data: { n: 1 },
    }));
    for (const history of histories) {
      const fold = startFold(machine, initialSnapshot(machine));
      for (const event of history) fold.add(event);
      const xstate = byXState(history);
      for (const probe of probes) expect(fold.accepts(probe), probe.type).toBe(xstate.can(probe));
    }
  });

  it('stops taking events at a final state, as XState does', () => {
    const fold = startFold(machine, initialSnapshot(machine));
    fold.add({ type: 'Start' });
    fold.add({ type: 'Stop' });
    expect(fold.active()).toBe(false);
    expect(fold.snapshot().status).toBe('done');
  });

  it('throws what the assign throws, with the state before the event kept', () => {
    const failing = createMachine({
      context: { n: 0 },
      on: {
        Bump: { actions: assign({ n: ({ context }) => context.n + 1 }) },
        Break: {
          actions: assign(() => {
            throw new Error('broken assign');
          }),
        },
      },
    }) as AnyStateMachine;
    const fold = startFold(failing, initialSnapshot(failing));
    fold.add({ type: 'Bump' });
    expect(() => fold.add({ type: 'Break' })).toThrow('broken assign');
    expect(fold.snapshot().context).toEqual({ n: 1 });
  });

  it('leaves a machine with history states to XState', () => {
    const withHistory = createMachine({
      initial: 'a',
      states: { a: { initial: 'x', states: { x: {}, h: { type: 'history' } } } },
    }) as AnyStateMachine;
    expect(foldPlansOf(withHistory)).toBeNull();
  });
});
