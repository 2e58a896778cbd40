import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { takeSnapshot } from '../../src/cli/projectionCommands.js';
import { defaultConfig } from '../../src/config/index.js';
import { createEventSchemas } from '../../src/eventSchemas/index.js';
import { createPostgresEventStore, type EventStore, query } from '../../src/eventStore/index.js';
import {
  createProcessInstances,
  defineProcessManager,
  foldProcessStream,
  handleProcessInput,
  hydrateProcess,
  type PersistedProcessState,
  type ProcessEmitted,
  type ProcessInput,
  processSnapshotHash,
  type RoutedInput,
  sendCommand,
} from '../../src/processManagers/index.js';
import { processStateAt } from '../../src/queries/index.js';
import { runSnapshotWorker, type SnapshotWorker, snapshotProcess } from '../../src/snapshots/index.js';
import { fastSettings } from '../subscriptions/support.js';
import {
  createTestDatabase,
  dropQueuePrefix,
  type TestDatabase,
  testQueuePrefix,
} from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

type Ticked = ProcessInput<'Ticked', { readonly n: number }>;

/** Counts its ticks and sends, on each, a command carrying the running total: the state shows in what it sends. */
const ticker = defineProcessManager({
  name: 'ticker',
  machine: setup({
    types: {
      context: {} as { total: number; count: number },
      events: {} as Ticked,
      emitted: {} as ProcessEmitted,
    },
  }).createMachine({
    id: 'ticker',
    context: { total: 0, count: 0 },
    initial: 'ticking',
    states: {
      ticking: {
        on: {
          Ticked: {
            actions: [
              assign(({ context, event }) => ({
                total: context.total + event.data.n,
                count: context.count + 1,
              })),
              sendCommand(({ context, event }) => ({
                aggregateType: 'counter',
                aggregateId: event.source?.streamId ?? '',
                type: 'Add',
                payload: { total: context.total },
              })),
            ],
          },
        },
      },
    },
  }),
  correlate: { Ticked: (event) => event.streamId },
  snapshotEvery: 3,
});

const schemas = createEventSchemas([]);

/** The n-th tick of clock `key`, as the subscription would route it. */
const tick = (key: string, n: number): RoutedInput => ({
  key,
  inputId: `${key}-tick-${n}`,
  correlationId: `corr-${key}`,
  input: {
    type: 'Ticked',
    data: { n },
    source: { eventId: `${key}-tick-${n}`, streamType: 'clock', streamId: key, version: n, schemaVersion: 1 },
  },
});

describe('process-manager instances: snapshots through the aggregates’ snapshot machinery', () => {
  let db: TestDatabase;
  let store: EventStore;
  let worker: SnapshotWorker | undefined;
  const prefix = testQueuePrefix();
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore(db.orm, { schemas });
  });
  afterAll(async () => {
    await worker?.stop();
    await db.drop();
    await dropQueuePrefix(defaultConfig.redisUrl, prefix);
  });

  /** A process-manager worker's instances just started: nothing cached, every input hydrates. */
  const freshWorker = (over: EventStore = store) => createProcessInstances(over, schemas);
  /** A store that counts the events each readStream returns, and the appends tried. */
  const counting = () => {
    const reads: number[] = [];
    let appends = 0;
    const wrapped: EventStore = {
      ...store,
      readStream: async (stream, options) => {
        const events = await store.readStream(stream, options);
        reads.push(events.length);
        return events;
      },
      append: (request) => {
        appends++;
        return store.append(request);
      },
    };
    return { store: wrapped, reads, appends: () => appends };
  };
  const handleAll = async (key: string, from: number, to: number) => {
    for (let n = from; n <= to; n++) await handleProcessInput(freshWorker(), ticker, tick(key, n));
  };
  const fullFold = async (key: string) =>
    foldProcessStream(ticker, schemas, await store.readStream({ streamType: 'ticker', streamId: key }));
  const forgetSnapshot = (key: string) =>
    query(db.orm.em.getKnex(), `delete from es_snapshots where stream_type = 'ticker' and stream_id = ?`, [
      key,
    ]);

  it('given a snapshot at v3 and two inputs after it, hydration folds only those two and equals the full fold', async () => {
    await handleAll('k1', 1, 3);
    expect(await snapshotProcess(store, schemas, ticker, 'k1')).toMatchObject({
      status: 'taken',
      version: 3,
      machineHash: processSnapshotHash(ticker, schemas),
    });
    await handleAll('k1', 4, 5);

    const reading = counting();
    const hydrated = await hydrateProcess(reading.store, schemas, ticker, 'k1');
    expect(hydrated).toMatchObject({ fromSnapshot: true, eventsFolded: 2 });
    expect(reading.reads).toEqual([2]);
    const full = await fullFold('k1');
    expect(hydrated.state.version).toBe(5);
    expect(hydrated.state.snapshot.value).toEqual(full.snapshot.value);
    expect(hydrated.state.snapshot.context).toEqual({ total: 15, count: 5 });
    expect(hydrated.state.snapshot.context).toEqual(full.snapshot.context);
    expect(hydrated.state.deadlines).toEqual(full.deadlines);
    expect([...hydrated.state.handled]).toEqual([...full.handled]);
    // the read API hydrates the same way, and says so
    const read = await processStateAt(store, schemas, [ticker], { processManager: 'ticker', key: 'k1' });
    expect(read).toMatchObject({
      status: 'ok',
      data: { version: 5, context: full.snapshot.context, fromSnapshot: true },
    });
    const before = await processStateAt(store, schemas, [ticker], {
      processManager: 'ticker',
      key: 'k1',
      version: 2,
    });
    expect(before).toMatchObject({
      status: 'ok',
      data: { version: 2, context: { total: 3, count: 2 }, fromSnapshot: false },
    });
  });

  it('the worker decides from the snapshot, not from the events before it (a doctored snapshot shows through)', async () => {
    await handleAll('k2', 1, 3);
    await snapshotProcess(store, schemas, ticker, 'k2');
    const [stored] = await query<{ state: PersistedProcessState }>(
      db.orm.em.getKnex(),
      `select state from es_snapshots where stream_type = 'ticker' and stream_id = 'k2'`,
    );
    const honest = stored?.state;
    if (!honest) throw new Error('no snapshot');
    await forgetSnapshot('k2');
    await store.writeSnapshot({
      streamType: 'ticker',
      streamId: 'k2',
      version: 3,
      machineHash: processSnapshotHash(ticker, schemas),
      state: { ...honest, context: { total: 1000, count: 3 } },
    });
    const reading = counting();
    const [sent] = await handleProcessInput(freshWorker(reading.store), ticker, tick('k2', 4));
    // 1000 + 4, where the events alone give 1 + 2 + 3 + 4
    expect(sent).toMatchObject({ kind: 'command', payload: { total: 1004 } });
    expect(reading.reads).toEqual([0]);
  });

  it('ignores a snapshot of another machine hash: the instance is folded from its first event', async () => {
    await handleAll('k3', 1, 3);
    await store.writeSnapshot({
      streamType: 'ticker',
      streamId: 'k3',
      version: 3,
      machineHash: 'another-machine-or-schemas',
      state: { value: 'ticking', context: { total: 1000, count: 3 }, deadlines: {}, handled: [] },
    } as never);
    expect(await hydrateProcess(store, schemas, ticker, 'k3')).toMatchObject({
      fromSnapshot: false,
      eventsFolded: 3,
    });
    const [sent] = await handleProcessInput(freshWorker(), ticker, tick('k3', 4));
    expect(sent).toMatchObject({ kind: 'command', payload: { total: 10 } });
    // and event schemas that change the inputs' shape change the hash
    const versioned = createEventSchemas([
      {
        type: 'clock',
        events: { Ticked: { current: 2, oldest: 1, steps: [(data) => data], previousNames: [] } },
      },
    ]);
    expect(processSnapshotHash(ticker, versioned)).not.toBe(processSnapshotHash(ticker, schemas));
  });

  it('a redelivered input after the snapshot re-sends the same command ids and records nothing', async () => {
    const first = await handleProcessInput(freshWorker(), ticker, tick('k4', 1));
    await handleAll('k4', 2, 3);
    await snapshotProcess(store, schemas, ticker, 'k4');
    const reading = counting();
    const again = await handleProcessInput(freshWorker(reading.store), ticker, tick('k4', 1));
    expect(again).toEqual(first);
    // known from the snapshot's handled inputs: no append tried, no event read
    expect(reading.appends()).toBe(0);
    expect(reading.reads).toEqual([0]);
    expect(await store.streamVersion({ streamType: 'ticker', streamId: 'k4' })).toBe(3);
  });

  it('the snapshot worker snapshots instances past their snapshotEvery, and `snapshot <name> <key>` takes one now', async () => {
    worker = await runSnapshotWorker({
      config: { ...defaultConfig, databaseUrl: db.url, queuePrefix: prefix },
      aggregates: [],
      processManagers: [ticker],
      settings: fastSettings('pm-snapshotter'),
      sweepEveryMs: 600_000,
    });
    await handleAll('k5', 1, 2);
    await handleAll('k5', 3, 4);
    const snapshot = await waitFor(
      async () => {
        const found = await store.readSnapshot({ streamType: 'ticker', streamId: 'k5' });
        return found && found.version >= 3 && found;
      },
      { what: 'a snapshot of ticker/k5' },
    );
    expect(snapshot.machineHash).toBe(processSnapshotHash(ticker, schemas));
    expect(snapshot.state).toMatchObject({ value: 'ticking', deadlines: {} });
    expect((snapshot.state as unknown as { handled: unknown[] }).handled).toHaveLength(snapshot.version);
    await worker.stop();
    worker = undefined;

    const context = { orm: db.orm, projections: [], aggregates: [], processManagers: [ticker] };
    await handleAll('k6', 1, 2);
    expect(await takeSnapshot(context, 'ticker', 'k6')).toMatchObject({ status: 'taken', version: 2 });
    expect(await takeSnapshot(context, 'ticker', 'k6')).toEqual({ status: 'current', version: 2 });
    expect(await takeSnapshot(context, 'nobody', 'k6')).toMatchObject({
      status: 'unknown',
      known: ['ticker'],
    });
  });
});
