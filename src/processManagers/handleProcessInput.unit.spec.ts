import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { ConcurrencyError } from '../errors/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { createInMemoryEventStore, type EventStore } from '../eventStore/index.js';
import { defineProcessManager } from './defineProcessManager.js';
import { createProcessInstances, handleProcessInput } from './handleProcessInput.js';
import { sendCommand } from './processActions.js';
import type { RoutedInput } from './processTypes.js';

/** Counts the ticks of a key and asks for a bell at each. */
const ticker = defineProcessManager({
  name: 'ticker',
  machine: setup({
    types: { context: {} as { ticks: number }, events: {} as { type: 'Ticked'; data: unknown } },
  }).createMachine({
    context: { ticks: 0 },
    on: {
      Ticked: {
        actions: [
          assign({ ticks: ({ context }) => context.ticks + 1 }),
          sendCommand(({ context }) => ({
            aggregateType: 'bell',
            aggregateId: 'b-1',
            type: 'Ring',
            payload: context,
          })),
        ],
      },
    },
  }),
  correlate: { Ticked: () => 'k-1' },
});

const tick = (inputId: string): RoutedInput => ({
  key: 'k-1',
  inputId,
  correlationId: inputId,
  input: { type: 'Ticked', data: {}, source: { eventId: inputId } },
});

const schemas = createEventSchemas([]);

describe('handleProcessInput: one instance, two writers', () => {
  it('given another pod appended after this one cached the instance, the conflict reloads it and decides again on the new state', async () => {
    const store = createInMemoryEventStore({ schemas });
    const here = createProcessInstances(store, schemas);
    const there = createProcessInstances(store, schemas);
    await handleProcessInput(here, ticker, tick('t-1')); // cached here at version 1
    await handleProcessInput(there, ticker, tick('t-2')); // version 2, unseen here

    const outputs = await handleProcessInput(here, ticker, tick('t-3'));

    // decided on the state with both earlier ticks, not on the stale cached one
    expect(outputs).toMatchObject([{ kind: 'command', payload: { ticks: 3 } }]);
    const stream = await store.readStream({ streamType: 'ticker', streamId: 'k-1' });
    expect(stream.map((event) => event.version)).toEqual([1, 2, 3]);
  });

  it('given an input the machine does not take, starts no instance: nothing is recorded', async () => {
    const store = createInMemoryEventStore({ schemas });
    const instances = createProcessInstances(store, schemas);
    const tocked = { ...tick('t-1'), input: { type: 'Tocked', data: {} } };

    expect(await handleProcessInput(instances, ticker, tocked)).toEqual([]);
    expect(await store.readStream({ streamType: 'ticker', streamId: 'k-1' })).toEqual([]);
  });

  it('given a stream that keeps moving, gives up after the retries as TRANSIENT, recording nothing', async () => {
    const store = createInMemoryEventStore({ schemas });
    // every append meets a conflict, as if another writer always got there first
    const racing: EventStore = {
      ...store,
      append: async (append) => {
        throw new ConcurrencyError(
          append.streamType,
          append.streamId,
          append.expectedVersion,
          append.expectedVersion + 1,
        );
      },
    };
    const instances = createProcessInstances(racing, schemas);

    await expect(handleProcessInput(instances, ticker, tick('t-1'), 2)).rejects.toMatchObject({
      code: 'TRANSIENT',
      message: 'ticker/k-1: still conflicting after 3 attempts',
    });
    expect(await store.readStream({ streamType: 'ticker', streamId: 'k-1' })).toEqual([]);
  });
});
