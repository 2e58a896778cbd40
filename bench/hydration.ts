import { domainEventSchemas, order, orderPayment } from '../actors/index.js';
import { hydrateActor } from '../src/actorHost/index.js';
import { AggregateInstance } from '../src/aggregate/index.js';
import { createOrm } from '../src/db/index.js';
import { currentSchemaVersion } from '../src/eventSchemas/index.js';
import { createPostgresEventStore, type EventStore } from '../src/eventStore/index.js';
import type { DomainEvent } from '../src/messages/index.js';
import { hydrateProcess } from '../src/processManagers/index.js';
import { snapshotProcess } from '../src/snapshots/index.js';
import { benchEnvironment } from './benchEnvironment.js';
import { prepareEmmettHydration } from './emmettPeer.js';
import { ratio } from './stats.js';

const placed: DomainEvent = {
  type: 'OrderPlaced',
  data: {
    customerId: 'c',
    productId: 'p',
    vendorId: 'v',
    quantity: 1,
    totalPrice: 1,
    paymentMethod: 'CARD',
    currency: 'EUR',
    placedAt: '2026-01-01T00:00:00.000Z',
  },
};

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const timed = async (runs: number, fn: () => Promise<unknown>) => {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return Number(median(samples).toFixed(2));
};

/** `history` appended to the order `streamId` in batches of 1,000, as commands would. */
const seedOrder = async (store: EventStore, streamId: string, history: readonly DomainEvent[]) => {
  const metadata = { commandId: 'seed', correlationId: 'seed', causationId: 'seed' };
  for (let at = 0; at < history.length; at += 1000) {
    await store.append({
      streamType: 'order',
      streamId,
      expectedVersion: at,
      events: history.slice(at, at + 1000),
      metadata,
      command: { commandId: `seed-${streamId}-${at}`, type: 'Seed' },
    });
  }
};

/**
 * Two orders of `events` events in a fresh database: `long` without a snapshot, `snapped` with one
 * 50 events behind its head. Hydrating them (and folding `long`'s events already in memory, to
 * split the read from the fold) are the timed operations; `close` drops the database.
 */
const prepareHydration = async (events: number) => {
  const env = await benchEnvironment('hydrate');
  const orm = await createOrm(env.databaseUrl);
  const store = createPostgresEventStore(orm, { schemas: domainEventSchemas });
  const close = async () => {
    await orm.close(true);
    await env.drop();
  };
  try {
    const history: DomainEvent[] = [placed];
    for (let i = 1; history.length < events; i++) {
      history.push(
        i % 2 === 1
          ? { type: 'OrderPaymentInitiated', data: {} }
          : { type: 'OrderPaymentFailed', data: { reason: `#${i}` } },
      );
    }
    await seedOrder(store, 'long', history);
    await seedOrder(store, 'snapped', history);
    const all = await store.readStreamToFold({ streamType: 'order', streamId: 'long' });
    const upTo = AggregateInstance.hydrate(order, 'snapped', undefined, all.slice(0, events - 50));
    await store.writeSnapshot({
      streamType: 'order',
      streamId: 'snapped',
      version: events - 50,
      machineHash: order.machineHash,
      state: JSON.parse(JSON.stringify(upTo.persisted())),
    });
    const check = await hydrateActor(store, order, 'snapped');
    if (!check.fromSnapshot || check.eventsFolded !== 50) throw new Error('the snapshot was not used');
    return {
      withoutSnapshot: () => hydrateActor(store, order, 'long'),
      withSnapshot: () => hydrateActor(store, order, 'snapped'),
      foldOnly: async () => AggregateInstance.hydrate(order, 'long', undefined, all),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};

const medianOf = (values: readonly number[]) => Number(median([...values]).toFixed(2));

/**
 * Hydrating a 10,000-event order (from events alone, from a snapshot 50 events behind, the fold
 * alone) beside Emmett's aggregateStream of the same history on the same PostgreSQL: `rounds`
 * rounds, each timing every kind (median of `runs` calls, 5× as many from the snapshot) one after another, so a noisy spell hits
 * them alike; the figures are the medians of the rounds.
 */
export const hydrationBench = async (events = 10_000, rounds = 3, runs = 5) => {
  const chronicle = await prepareHydration(events);
  try {
    const emmett = await prepareEmmettHydration(events);
    try {
      const samples = {
        withoutSnapshot: [] as number[],
        emmett: [] as number[],
        foldOnly: [] as number[],
        withSnapshot: [] as number[],
      };
      for (let round = 0; round < rounds; round++) {
        samples.withoutSnapshot.push(await timed(runs, chronicle.withoutSnapshot));
        samples.emmett.push(await timed(runs, emmett.aggregateStream));
        samples.foldOnly.push(await timed(runs, chronicle.foldOnly));
        // a few milliseconds, mostly one round trip: more calls, so one slow trip does not set it
        samples.withSnapshot.push(await timed(runs * 5, chronicle.withSnapshot));
      }
      const withoutSnapshotMs = medianOf(samples.withoutSnapshot);
      const withSnapshotMs = medianOf(samples.withSnapshot);
      const aggregateStreamMs = medianOf(samples.emmett);
      return {
        events,
        rounds: samples,
        withoutSnapshotMs,
        foldOnlyMs: medianOf(samples.foldOnly),
        withSnapshotMs,
        snapshotSpeedup: Number((withoutSnapshotMs / withSnapshotMs).toFixed(1)),
        peerEmmettAggregateStream: { events, aggregateStreamMs },
        withoutSnapshotVsEmmett: ratio(withoutSnapshotMs, aggregateStreamMs),
      };
    } finally {
      await emmett.close();
    }
  } finally {
    await chronicle.close();
  }
};

/**
 * Hydrating a long order-payment instance (OrderPlaced, then `inputs - 1` PaymentRequested, each
 * sending InitiatePayment): from its events alone, and from a snapshot 10 inputs behind the head
 * (the snapshot holds every handled input with its outputs, so it grows with the history too).
 */
export const processHydrationBench = async (inputs = 2_000, runs = 5) => {
  const env = await benchEnvironment('pm-hydrate');
  const orm = await createOrm(env.databaseUrl);
  const store = createPostgresEventStore(orm, { schemas: domainEventSchemas });
  const key = 'long';
  const source = (streamType: string, type: string, i: number) => ({
    eventId: `input-${i}`,
    streamType,
    streamId: key,
    version: i + 1,
    schemaVersion: currentSchemaVersion(domainEventSchemas, streamType, type),
  });
  const handled = (i: number) =>
    i === 0
      ? {
          type: 'OrderPlacedHandled',
          data: { inputId: 'input-0', input: placed, source: source('order', 'OrderPlaced', 0), outputs: [] },
        }
      : {
          type: 'PaymentRequestedHandled',
          data: {
            inputId: `input-${i}`,
            input: {
              type: 'PaymentRequested',
              data: { orderId: key, amount: 1, method: 'CARD', currency: 'EUR' },
            },
            source: source('payment', 'PaymentRequested', i),
            outputs: [
              {
                kind: 'command',
                commandId: `command-${i}`,
                aggregateType: 'order',
                aggregateId: key,
                type: 'InitiatePayment',
                payload: {},
              },
            ],
          },
        };
  const append = (from: number, to: number) =>
    store.append({
      streamType: orderPayment.name,
      streamId: key,
      expectedVersion: from,
      events: Array.from({ length: to - from }, (_, i) => handled(from + i)),
      metadata: { commandId: `seed-${from}`, correlationId: 'seed', causationId: 'seed' },
    });
  try {
    for (let at = 0; at < inputs - 10; at += 500) await append(at, Math.min(at + 500, inputs - 10));
    await snapshotProcess(store, domainEventSchemas, orderPayment, key);
    await append(inputs - 10, inputs);
    const hydrate = () => hydrateProcess(store, domainEventSchemas, orderPayment, key);
    const check = await hydrate();
    if (!check.fromSnapshot || check.eventsFolded !== 10) throw new Error('the snapshot was not used');
    const withSnapshotMs = await timed(runs, hydrate);
    await store.writeSnapshot({
      streamType: orderPayment.name,
      streamId: key,
      version: inputs,
      machineHash: 'another machine',
      state: { value: 'idle', context: {} },
    });
    const withoutSnapshotMs = await timed(runs, hydrate);
    return {
      inputs,
      withoutSnapshotMs,
      withSnapshotMs,
      snapshotSpeedup: Number((withoutSnapshotMs / withSnapshotMs).toFixed(1)),
    };
  } finally {
    await orm.close(true);
    await env.drop();
  }
};

/** Heap held per live actor: N order actors hydrated from a short history and kept, like the cache does. */
export const memoryPerActor = (actors = 10_000) => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return { actors, bytesPerActor: null, note: 'run with --expose-gc' };
  const history = [placed, { type: 'OrderPaymentInitiated', data: {} }, { type: 'OrderPaid', data: {} }].map(
    (e, i) => ({ ...e, version: i + 1 }),
  );
  gc();
  const before = process.memoryUsage().heapUsed;
  const live: AggregateInstance[] = [];
  for (let i = 0; i < actors; i++) live.push(AggregateInstance.hydrate(order, `m-${i}`, undefined, history));
  gc();
  const after = process.memoryUsage().heapUsed;
  const bytesPerActor = Math.round((after - before) / actors);
  live.length = 0; // held to here, so the gc above could not take them
  return { actors, bytesPerActor };
};
