import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { aggregates, createOrderPayment, domainEventSchemas } from '../../actors/index.js';
import { ordersView } from '../../actors/projections/index.js';
import { AggregateInstance, defineAggregate } from '../../src/aggregate/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { type ProcessManagerWorker, runProcessManagerWorker } from '../../src/processManagers/index.js';
import { type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';
import { runSnapshotWorker, type SnapshotWorker } from '../../src/snapshots/index.js';
import {
  appendOrders,
  foldOrdersView,
  orderIds,
  readOrdersView,
} from '../projections/support/orderHistories.js';
import { fastSettings } from '../subscriptions/support.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { PGBOUNCER } from '../support/privatePgBouncer.js';
import { waitFor } from '../support/waitFor.js';
import { type BehindPgBouncer, startBehindPgBouncer } from './support/behindPgBouncer.js';

if (!PGBOUNCER)
  console.warn(
    "pgBouncer spec skipped: Debian's pgbouncer is not installed (apt-get install pgbouncer; .ci/run does)",
  );

/** A counter snapshotted every 5 events, so a few appends take a stream past its policy. */
const counter = defineAggregate({
  type: 'counter',
  machine: setup({
    types: { context: {} as { total: number }, events: {} as { type: 'Added'; data: { n: number } } },
  }).createMachine({
    id: 'counter',
    context: { total: 0 },
    on: { Added: { actions: assign(({ context, event }) => ({ total: context.total + event.data.n })) } },
  }),
  commands: {},
  snapshotEvery: 5,
});

/*
 * A private PgBouncer in transaction mode, four server connections, in front of the shared
 * PostgreSQL: each transaction of a client may run on another server connection, where a statement
 * prepared on the last one does not exist (26000). The pods' engines run through it with named
 * prepared statements off (DATABASE_PREPARED_STATEMENTS=false), pools of 2 and their LISTEN session
 * straight to PostgreSQL (DATABASE_LISTEN_URL): a LISTEN needs a session of its own. The api and
 * the CLI, nats, the pods as processes and named statements left on have specs beside this one.
 */
describe.skipIf(!PGBOUNCER)('pods behind PgBouncer in transaction mode', () => {
  let behind: BehindPgBouncer;
  let store: EventStore;
  const engines: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    behind = await startBehindPgBouncer();
    store = createPostgresEventStore(behind.path.db.orm, { schemas: domainEventSchemas });
    await behind.path.startWorker({ config: behind.config });
  });
  afterAll(async () => {
    for (const engine of engines.splice(0).reverse()) await engine.stop();
    await behind?.close();
  });
  const started = <T extends { stop(): Promise<void> }>(engine: T): T => {
    engines.push(engine);
    return engine;
  };

  it('given a command worker through it, accepts every command of twelve orders (none dead-lettered), each decided on a hydrated stream', async () => {
    const { client } = behind.path;
    const orders = Array.from({ length: 12 }, (_, i) => `bouncer-${i}`);
    const placed = await Promise.all(orders.map((id) => client.send(placeOrder(id), { wait: true })));
    expect(placed.map((result) => result.status)).toEqual(orders.map(() => 'accepted'));
    // the next command of each hydrates its stream (readToFold) before deciding
    const paying = await Promise.all(orders.map((id) => client.send(paymentAttempt(id, 1), { wait: true })));
    expect(paying.map((result) => result.status)).toEqual(orders.map(() => 'accepted'));
  });

  it('given a projection worker through it, builds orders_view as the events say, batch after batch', async () => {
    await appendOrders(store, orderIds(0, 60));
    started(
      await runProjectionWorker({
        aggregates,
        config: behind.config,
        projections: [ordersView],
        settings: fastSettings('bouncer-projections', { batchSize: 20 }),
      }),
    ) satisfies ProjectionWorker;
    const knex = behind.path.db.orm.em.getKnex();
    const expected = await foldOrdersView(knex);
    // every order at its last event: the projection has handled every batch
    await waitFor(async () => isDeepStrictEqual(await readOrdersView(knex), expected), {
      timeoutMs: 60_000,
    });
    expect(await readOrdersView(knex)).toEqual(expected);
  });

  it('given a snapshot worker through it, snapshots every stream past its policy', async () => {
    const counters = Array.from({ length: 8 }, (_, i) => `bouncer-counter-${i}`);
    started(
      await runSnapshotWorker({
        aggregates: [...aggregates, counter],
        config: behind.config,
        settings: fastSettings('bouncer-snapshots'),
        sweepEveryMs: 600_000,
      }),
    ) satisfies SnapshotWorker;
    // each counter 12 events in appends of 3: past 5 at version 6, past 6 more at version 12
    for (let from = 0; from < 12; from += 3)
      await Promise.all(
        counters.map((streamId) =>
          store.append({
            streamType: 'counter',
            streamId,
            expectedVersion: from,
            events: [1, 2, 3].map((n) => ({ type: 'Added', data: { n: from + n } })),
            metadata: { commandId: `${streamId}-${from}`, correlationId: streamId, causationId: streamId },
            command: { commandId: `${streamId}-${from}`, type: 'Add' },
          }),
        ),
      );
    const snapshots = () =>
      Promise.all(counters.map((streamId) => store.readSnapshot({ streamType: 'counter', streamId })));
    // the worker hydrates a stream when a batch takes it 5 past its last snapshot, at whatever version
    // it has by then: once every event is read, each snapshot is fewer than 5 behind the head (12)
    const taken = await waitFor(
      async () => {
        const found = await snapshots();
        return found.every((snapshot) => (snapshot?.version ?? 0) >= 8) && found;
      },
      { what: 'a snapshot of every counter fewer than 5 events behind its head', timeoutMs: 60_000 },
    );
    for (const [i, snapshot] of taken.entries()) {
      if (!snapshot) throw new Error('no snapshot');
      expect(snapshot.machineHash).toBe(counter.machineHash);
      // restored, it is the fold of its first `version` events: n = 1 + 2 + … + version
      const restored = AggregateInstance.hydrate(counter, counters[i] ?? '', snapshot, []);
      expect(restored.persisted().context).toEqual({
        total: (snapshot.version * (snapshot.version + 1)) / 2,
      });
    }
  });

  it('given a process-manager worker through it, each placed order requests its payment, and its timeout cancels the order', async () => {
    started(
      await runProcessManagerWorker({
        aggregates,
        config: behind.config,
        processManagers: [createOrderPayment({ paymentTimeoutMs: 3_000 })],
        settings: fastSettings('bouncer-process-managers', { batchSize: 50 }),
      }),
    ) satisfies ProcessManagerWorker;
    const orders = Array.from({ length: 6 }, (_, i) => `bouncer-pm-${i}`);
    const placed = await Promise.all(
      orders.map((id) => behind.path.client.send(placeOrder(id), { wait: true })),
    );
    expect(placed.map((result) => result.status)).toEqual(orders.map(() => 'accepted'));
    const types = (events: readonly RecordedEvent[]) => events.map((event) => event.type);
    const last = async (streamType: string, streamId: string) =>
      (await store.readStream({ streamType, streamId })).at(-1);
    // nobody captures: every order is cancelled by its payment timeout (a deadline job, then a command)
    await waitFor(
      async () =>
        (await Promise.all(orders.map((id) => last('order', id)))).every(
          (event) => event?.type === 'OrderCancelled',
        ),
      { what: 'every order cancelled by its timeout', timeoutMs: 60_000 },
    );
    for (const id of orders) {
      const payment = await store.readStream({ streamType: 'payment', streamId: id });
      expect(payment[0]).toMatchObject({ type: 'PaymentRequested', data: { orderId: id, amount: 40 } });
      expect((await last('order', id))?.data).toEqual({ reason: 'PAYMENT_TIMEOUT' });
      expect(types(await store.readStream({ streamType: 'order-payment', streamId: id }))).toEqual(
        // (PaymentRequested is handled only when it comes before the timeout: on a loaded machine it may not)
        expect.arrayContaining(['OrderPlacedHandled', 'PaymentTimedOutHandled']),
      );
    }
  });
});
