import { afterEach, describe, expect, it, vi } from 'vitest';
import { assign, setup, transition } from 'xstate';
import { isChronicleError } from '../errors/index.js';
import { AggregateInstance, type PersistedAggregateState } from './aggregateInstance.js';
import { defineAggregate } from './defineAggregate.js';

type LedgerEvent =
  | { readonly type: 'Deposited'; readonly data: { readonly amount: number } }
  | { readonly type: 'Withdrawn'; readonly data: { readonly amount: number } }
  | { readonly type: 'Flagged'; readonly data: { readonly note: string } }
  | { readonly type: 'Closed'; readonly data: Record<string, never> };

/** A small parallel machine with guards and assigns, folded by everything below. */
const ledgerMachine = setup({
  types: {
    context: {} as { balance: number; notes: string[]; history: { type: string; amount: number }[] },
    events: {} as LedgerEvent,
  },
}).createMachine({
  id: 'ledger',
  context: { balance: 0, notes: [], history: [] },
  initial: 'open',
  states: {
    open: {
      type: 'parallel',
      on: { Closed: '#ledger.closed' },
      states: {
        funds: {
          on: {
            Deposited: {
              actions: assign(({ context, event }) => ({
                balance: context.balance + event.data.amount,
                history: [...context.history, { type: 'in', amount: event.data.amount }],
              })),
            },
            Withdrawn: {
              guard: ({ context, event }) => event.data.amount <= context.balance,
              actions: assign(({ context, event }) => ({
                balance: context.balance - event.data.amount,
                history: [...context.history, { type: 'out', amount: event.data.amount }],
              })),
            },
          },
        },
        audit: {
          initial: 'clean',
          states: {
            clean: { on: { Flagged: 'flagged' } },
            flagged: {},
          },
          on: {
            Flagged: {
              actions: assign(({ context, event }) => ({ notes: [...context.notes, event.data.note] })),
            },
          },
        },
      },
    },
    closed: {},
  },
});

const ledger = defineAggregate({ type: 'ledger', machine: ledgerMachine, commands: {} });

const history: LedgerEvent[] = [
  { type: 'Deposited', data: { amount: 100 } },
  { type: 'Withdrawn', data: { amount: 30 } },
  { type: 'Flagged', data: { note: 'large withdrawal' } },
  { type: 'Deposited', data: { amount: 5 } },
  { type: 'Flagged', data: { note: 'again' } },
  { type: 'Withdrawn', data: { amount: 75 } },
  { type: 'Closed', data: {} },
];
const versioned = (events: readonly LedgerEvent[], from = 1) =>
  events.map((event, index) => ({ ...event, version: from + index }));

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (isChronicleError(error)) return error.code;
    throw error;
  }
  return 'no error';
};

afterEach(() => {
  vi.useRealTimers();
});

describe('AggregateInstance.hydrate', () => {
  it('starts from the machine’s initial state at version 0', () => {
    const actor = AggregateInstance.hydrate(ledger, 'l-1', undefined, []);
    expect(actor.state).toEqual({
      value: { open: { funds: {}, audit: 'clean' } },
      context: { balance: 0, notes: [], history: [] },
      version: 0,
    });
  });

  it.each(history.map((_, index) => index + 1))(
    'from a persisted snapshot at version %i (through JSON) plus the later events, equals folding them all',
    (at) => {
      const all = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history));
      const upTo = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history.slice(0, at)));
      const stored = JSON.parse(JSON.stringify(upTo.persisted())) as PersistedAggregateState;
      const resumed = AggregateInstance.hydrate(
        ledger,
        'l-1',
        { state: stored, version: at },
        versioned(history.slice(at), at + 1),
      );
      expect(resumed.state).toEqual(all.state);
      expect(resumed.version).toBe(history.length);
      expect(resumed.snapshot.value).toEqual(all.snapshot.value);
    },
  );

  it('resumed mid-stream, still applies the guards (a withdrawal beyond the balance is ignored)', () => {
    const upTo = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history.slice(0, 2)));
    const resumed = AggregateInstance.hydrate(
      ledger,
      'l-1',
      { state: JSON.parse(JSON.stringify(upTo.persisted())), version: 2 },
      [],
    );
    expect(resumed.snapshot.can({ type: 'Withdrawn', data: { amount: 71 } })).toBe(false);
    expect(resumed.snapshot.can({ type: 'Withdrawn', data: { amount: 70 } })).toBe(true);
  });

  it('folds the same state as the pure transition() the decider uses', () => {
    const live = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history.slice(0, 6)));
    let snapshot = AggregateInstance.hydrate(ledger, 'l-1', undefined, []).snapshot;
    for (const event of history.slice(0, 6)) [snapshot] = transition(ledgerMachine, snapshot, event);
    expect({ value: snapshot.value, context: snapshot.context }).toEqual(live.persisted());
  });

  it('throws STREAM_GAP when a version is skipped', () => {
    const events = versioned(history.slice(0, 3)).map((event) =>
      event.version === 3 ? { ...event, version: 4 } : event,
    );
    expect(codeOf(() => AggregateInstance.hydrate(ledger, 'l-1', undefined, events))).toBe('STREAM_GAP');
  });

  it('throws STREAM_GAP when the events do not continue the snapshot', () => {
    const snapshot = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history.slice(0, 2)));
    const start = { state: snapshot.persisted(), version: 2 };
    expect(
      codeOf(() => AggregateInstance.hydrate(ledger, 'l-1', start, versioned(history.slice(2), 4))),
    ).toBe('STREAM_GAP');
    expect(
      codeOf(() => AggregateInstance.hydrate(ledger, 'l-1', start, versioned(history.slice(1), 2))),
    ).toBe('STREAM_GAP');
  });

  it('names the stream and both versions in the gap error', () => {
    const actor = AggregateInstance.hydrate(ledger, 'l-9', undefined, versioned(history.slice(0, 1)));
    expect(() => actor.apply(versioned(history.slice(1, 2), 3))).toThrow(
      'ledger/l-9: event version 3 does not follow 1',
    );
    expect(actor.version).toBe(1);
  });

  it('throws FOLD_FAILED when an assigner throws, without an uncaught error escaping later', async () => {
    const broken = defineAggregate({
      type: 'broken',
      machine: setup({ types: { events: {} as { type: 'Boom'; data: unknown } } }).createMachine({
        on: {
          Boom: {
            actions: assign(() => {
              throw new Error('cannot fold');
            }),
          },
        },
      }),
      commands: {},
    });
    expect(
      codeOf(() =>
        AggregateInstance.hydrate(broken, 'b-1', undefined, [{ type: 'Boom', data: {}, version: 1 }]),
      ),
    ).toBe('FOLD_FAILED');
    // no error may escape later (from a timer, as an unobserved XState actor's would): let one run.
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('adopts the state decide reached for appended events, without folding them again', () => {
    const actor = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history.slice(0, 1)));
    const [next] = transition(ledgerMachine, actor.snapshot, { type: 'Deposited', data: { amount: 5 } });
    actor.advance(next, [{ version: 2 }]);
    expect(actor.version).toBe(2);
    expect(actor.state.context).toMatchObject({ balance: 105 });
    // still live: later stored events fold on from there
    actor.apply(versioned([{ type: 'Deposited', data: { amount: 1 } }], 3));
    expect(actor.state).toMatchObject({ version: 3, context: { balance: 106 } });
  });

  it('refuses to advance over events that do not continue the stream', () => {
    const actor = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history.slice(0, 1)));
    expect(codeOf(() => actor.advance(actor.snapshot, [{ version: 3 }]))).toBe('STREAM_GAP');
    expect(actor.version).toBe(1);
  });

  it('gives a persisted state that is a copy, not the live context', () => {
    const actor = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(history.slice(0, 1)));
    const persisted = actor.persisted() as { context: { history: unknown[] } };
    persisted.context.history.push('tampered');
    expect(actor.state.context).toEqual({ balance: 100, notes: [], history: [{ type: 'in', amount: 100 }] });
  });
});

describe('replay', () => {
  it('runs no side effects: no action to execute, no timer, no child actor, no output', () => {
    vi.useFakeTimers();
    const console = vi.spyOn(globalThis.console, 'log');
    const long = Array.from(
      { length: 1_000 },
      (_, index): LedgerEvent =>
        index % 10 === 9
          ? { type: 'Flagged', data: { note: `n${index}` } }
          : { type: 'Deposited', data: { amount: 1 } },
    );

    const actor = AggregateInstance.hydrate(ledger, 'l-1', undefined, versioned(long));

    expect(actor.version).toBe(1_000);
    expect(actor.state.context).toMatchObject({ balance: 900 });
    expect(vi.getTimerCount()).toBe(0);
    expect(actor.snapshot.children).toEqual({});
    expect(console).not.toHaveBeenCalled();
    // The pure fold agrees: at every step the machine hands back no action to execute.
    let snapshot = AggregateInstance.hydrate(ledger, 'l-1', undefined, []).snapshot;
    for (const event of long.slice(0, 50)) {
      const [next, actions] = transition(ledgerMachine, snapshot, event);
      expect(actions).toEqual([]);
      snapshot = next;
    }
    console.mockRestore();
  });
});
