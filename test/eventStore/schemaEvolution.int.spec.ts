import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas, order } from '../../actors/index.js';
import type { OrderPlacedData, OrderPlacedV1Data } from '../../actors/order/index.js';
import { listOrders, ordersView } from '../../actors/projections/index.js';
import { hydrateActor } from '../../src/actorHost/index.js';
import { AggregateActor, machineHash } from '../../src/aggregate/index.js';
import { projectionsRebuild } from '../../src/cli/projectionCommands.js';
import { defaultConfig, defaultNatsConfig, type NatsConfig } from '../../src/config/index.js';
import { isChronicleError } from '../../src/errors/index.js';
import { createEventSchemas, eventVersions } from '../../src/eventSchemas/index.js';
import {
  createPostgresEventStore,
  type Db,
  type EventStore,
  query,
  readEventBatch,
  startOfStream,
  wholeStream,
} from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { type NatsWorker, runNatsWorker } from '../../src/nats/index.js';
import { type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';
import { snapshotAggregate } from '../../src/snapshots/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { openStream } from '../http/support/sseClient.js';
import { deleteStream, natsNames, readStoredMessages } from '../nats/support.js';
import { fastSettings } from '../subscriptions/support.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { runToEnd } from '../support/processes.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';

import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

/** OrderPlaced as the release before currencies wrote it. */
const placedV1: OrderPlacedV1Data = {
  customerId: 'customer-old',
  productId: 'product-1',
  vendorId: 'vendor-1',
  quantity: 3,
  totalPrice: 30,
  paymentMethod: 'CARD',
  placedAt: '2025-01-01T09:00:00.000Z',
};

type OldRow = { type: string; schemaVersion: number; data: unknown; recordedAt: string };

/** Rows written straight into es_events (and the stream head), as an older release left them. */
const writeOldStream = async (db: Db, streamId: string, rows: readonly OldRow[], streamType = 'order') => {
  await query(db, 'insert into es_streams (stream_type, stream_id, version) values (?, ?, ?)', [
    streamType,
    streamId,
    rows.length,
  ]);
  for (const [index, row] of rows.entries()) {
    const metadata = {
      commandId: `old-${streamId}-${index}`,
      correlationId: streamId,
      causationId: streamId,
    };
    await query(
      db,
      `insert into es_events (stream_type, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)`,
      [
        streamType,
        streamId,
        index + 1,
        uuidv7(),
        row.type,
        row.schemaVersion,
        JSON.stringify(row.data),
        JSON.stringify(metadata),
        row.recordedAt,
      ],
    );
  }
};

const oldHistory: OldRow[] = [
  { type: 'OrderPlaced', schemaVersion: 1, data: placedV1, recordedAt: '2025-01-01T09:00:00.000Z' },
  { type: 'OrderPaymentInitiated', schemaVersion: 1, data: {}, recordedAt: '2025-01-02T09:00:00.000Z' },
];

const detailsOf = (context: unknown) => (context as { details: OrderPlacedData | null }).details;

describe('schema evolution: version-1 OrderPlaced events, as an older release stored them', () => {
  let path: CommandPath;
  let server: ApiServer;
  let url: string;
  let store: EventStore;
  let db: Db;
  let projectionWorker: ProjectionWorker | undefined;

  beforeAll(async () => {
    path = await createCommandPath();
    db = path.db.orm.em.getKnex();
    store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
    await writeOldStream(db, 'old-1', oldHistory);
    // the snapshot the older release took: its machine hash had no event schemas, its state no currency
    const folded = AggregateActor.hydrate(order, 'old-1', undefined, [
      { type: 'OrderPlaced', data: placedV1, version: 1 },
    ]);
    await store.writeSnapshot({
      streamType: 'order',
      streamId: 'old-1',
      version: 1,
      machineHash: machineHash(order.machine),
      state: folded.persisted(),
    });
    await path.startWorker();
    ({ server, url } = await startInProcessApi(path.config));
  });

  afterAll(async () => {
    await projectionWorker?.stop();
    await server?.close();
    await path?.close();
  });

  it('is stored as it was written: version 1, no currency (events are never rewritten)', async () => {
    const [row] = await query<{ schema_version: number; data: Record<string, unknown> }>(
      db,
      `select schema_version, data from es_events where stream_id = 'old-1' and version = 1`,
    );
    expect(row?.schema_version).toBe(1);
    expect(row?.data).not.toHaveProperty('currency');
  });

  it('hydrates as version 2 with currency EUR, ignoring the snapshot taken before the change', async () => {
    expect(await store.readSnapshot({ streamType: 'order', streamId: 'old-1' })).toMatchObject({
      version: 1,
    });
    const { actor, fromSnapshot, eventsFolded } = await hydrateActor(store, order, 'old-1');
    expect(fromSnapshot).toBe(false);
    expect(eventsFolded).toBe(2);
    expect(detailsOf(actor.state.context)).toEqual({ ...placedV1, currency: 'EUR' });
    const [first] = await store.readStream({ streamType: 'order', streamId: 'old-1' });
    expect(first).toMatchObject({ type: 'OrderPlaced', schemaVersion: 2, data: { currency: 'EUR' } });
  });

  it('is snapshotted again under the new hash, and that snapshot is used', async () => {
    const taken = await snapshotAggregate(store, order, 'old-1');
    expect(taken).toMatchObject({ status: 'taken', version: 2 });
    const stored = await store.readSnapshot({ streamType: 'order', streamId: 'old-1' });
    expect(stored?.machineHash).toBe(order.machineHash);
    expect(detailsOf(stored?.state.context)).toMatchObject({ currency: 'EUR' });
    const { actor, fromSnapshot } = await hydrateActor(store, order, 'old-1');
    expect(fromSnapshot).toBe(true);
    expect(detailsOf(actor.state.context)).toMatchObject({ currency: 'EUR' });
  });

  it('takes a new command on that order, and writes new events in the current version', async () => {
    const confirmed = await path.client.send(
      { aggregateType: 'order', aggregateId: 'old-1', type: 'ConfirmPayment', payload: {} },
      { wait: true },
    );
    expect(confirmed).toMatchObject({ status: 'accepted', version: 3 });
    const state = await call(`${url}/v1/aggregates/order/old-1`, { headers: withKey(keys.reader) });
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      version: 3,
      context: { paymentStatus: 'PAID', details: { currency: 'EUR' } },
    });

    const placed = await path.client.send(
      {
        aggregateType: 'order',
        aggregateId: 'new-1',
        type: 'PlaceOrder',
        payload: { ...placedV1, placedAt: undefined, currency: 'USD' },
      },
      { wait: true },
    );
    expect(placed).toMatchObject({
      status: 'accepted',
      events: [{ schemaVersion: 2, data: { currency: 'USD' } }],
    });
    const [row] = await query<{ schema_version: number; currency: string }>(
      db,
      `select schema_version, data ->> 'currency' as currency from es_events where stream_id = 'new-1'`,
    );
    expect(row).toEqual({ schema_version: 2, currency: 'USD' });
  });

  it('is read with currency EUR over HTTP: the stream and the feed', async () => {
    const events = await call(`${url}/v1/aggregates/order/old-1/events`, { headers: withKey(keys.reader) });
    expect(events.status).toBe(200);
    const [first] = (events.body as { events: RecordedEvent[] }).events;
    expect(first).toMatchObject({
      type: 'OrderPlaced',
      schemaVersion: 2,
      data: { ...placedV1, currency: 'EUR' },
    });

    const feed = await call(`${url}/v1/events?type=OrderPlaced&aggregateType=order`, {
      headers: withKey(keys.reader),
    });
    const placements = (feed.body as { events: RecordedEvent[] }).events;
    expect(placements.map((event) => [event.streamId, (event.data as OrderPlacedData).currency])).toEqual([
      ['old-1', 'EUR'],
      ['new-1', 'USD'],
    ]);
  });

  it('is sent with currency EUR over SSE', async () => {
    const stream = await openStream(
      `${url}/v1/stream?aggregateType=order&type=OrderPlaced&from=start`,
      withKey(keys.reader),
    );
    try {
      expect(stream.status).toBe(200);
      const frames = await stream.waitFor(2);
      const sent = frames.map((frame) => JSON.parse(frame.data) as RecordedEvent);
      expect(
        sent.map((event) => [event.streamId, event.schemaVersion, (event.data as OrderPlacedData).currency]),
      ).toEqual([
        ['old-1', 2, 'EUR'],
        ['new-1', 2, 'USD'],
      ]);
    } finally {
      stream.close();
    }
  });

  it('reaches orders_view with currency EUR, live and after a rebuild, and the read model returns it', async () => {
    projectionWorker = await runProjectionWorker({
      config: path.config,
      projections: [ordersView],
      aggregates,
      settings: fastSettings('schema-evolution-live', { batchSize: 50 }),
    });
    const currencies = async () => {
      const page = await listOrders(db as never, { limit: 10 });
      if (page.status !== 'ok') throw new Error(page.message);
      return Object.fromEntries(page.data.orders.map((row) => [row.orderId, row.currency]));
    };
    await waitFor(async () => Object.keys(await currencies()).length === 2 || undefined, {
      what: 'both orders in orders_view',
    });
    expect(await currencies()).toEqual({ 'old-1': 'EUR', 'new-1': 'USD' });

    const rebuilt = await projectionsRebuild(
      { orm: path.db.orm, aggregates, projections: [ordersView] },
      'orders_view',
      { settings: { batchSize: 50, pollIntervalMs: 50, leaseTtlMs: 1_500 }, checkEveryMs: 50 },
    );
    expect(rebuilt).toMatchObject({ status: 'rebuilt' });
    expect(await currencies()).toEqual({ 'old-1': 'EUR', 'new-1': 'USD' });

    const orders = await call(`${url}/v1/orders`, { headers: withKey(keys.reader) });
    expect(orders.status).toBe(200);
    expect((orders.body as { orders: { orderId: string; currency: string }[] }).orders).toEqual(
      expect.arrayContaining([expect.objectContaining({ orderId: 'old-1', currency: 'EUR' })]),
    );
  });
});

describe('the NATS outbox publishes version-1 OrderPlaced events in their current shape', () => {
  let db: TestDatabase;
  let worker: NatsWorker | undefined;
  const nats: NatsConfig = {
    ...defaultNatsConfig,
    url: NATS_URL,
    ...natsNames(),
    eventTypes: ['OrderPlaced'],
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
    await deleteStream(NATS_URL, nats.stream);
  });

  it('with currency EUR, as schema version 2', async () => {
    await writeOldStream(db.orm.em.getKnex(), 'nats-1', oldHistory);
    worker = await runNatsWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      nats,
      settings: fastSettings('schema-evolution-nats'),
    });
    const [message] = await waitFor(async () => {
      const messages = await readStoredMessages(NATS_URL, nats.stream).catch(() => []);
      return messages.length > 0 ? messages : undefined;
    });
    expect(message?.subject).toBe(`${nats.subjectPrefix}.events.order.OrderPlaced`);
    expect(message?.event).toMatchObject({
      streamId: 'nats-1',
      schemaVersion: 2,
      data: { ...placedV1, currency: 'EUR' },
    });
  });
});

describe('state at a point in time', () => {
  let path: CommandPath;
  let server: ApiServer;
  let url: string;
  beforeAll(async () => {
    path = await createCommandPath();
    await writeOldStream(path.db.orm.em.getKnex(), 'timed-1', oldHistory);
    ({ server, url } = await startInProcessApi(path.config));
  });
  afterAll(async () => {
    await server?.close();
    await path?.close();
  });

  const at = (time: string) =>
    call(`${url}/v1/aggregates/order/timed-1/at?time=${encodeURIComponent(time)}`, {
      headers: withKey(keys.reader),
    });

  it('GET /v1/aggregates/:type/:id/at?time= answers the state after the last event recorded by then', async () => {
    const placed = await at('2025-01-01T12:00:00Z');
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({
      version: 1,
      headVersion: 2,
      time: '2025-01-01T12:00:00Z',
      value: { placed: { payment: 'pending' } },
      context: { details: { currency: 'EUR' } },
    });
    // an offset other than Z, and the very instant of an event, count
    expect((await at('2025-01-02T10:00:00+01:00')).body).toMatchObject({
      version: 2,
      value: { placed: { payment: 'processing' } },
    });
    expect((await at('2099-01-01T00:00:00Z')).body).toMatchObject({ version: 2 });
  });

  it('answers 404 before the first event, and 400 INVALID_REQUEST naming time when it is missing or malformed', async () => {
    const before = await at('2024-12-31T23:59:59Z');
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('had no events at'),
    });
    for (const bad of ['yesterday', '2025-01-01', '2025-01-01T12:00:00']) {
      const answer = await at(bad);
      expect(answer.status, bad).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'INVALID_REQUEST',
        details: { issues: [expect.objectContaining({ path: 'time' })] },
      });
    }
    const missing = await call(`${url}/v1/aggregates/order/timed-1/at`, { headers: withKey(keys.reader) });
    expect(missing.status).toBe(400);
  });

  const chronicle = (...args: string[]) => runToEnd('workers/cli.ts', { env: path.podEnv, args });

  it('chronicle events prints the version-1 OrderPlaced as version 2 with currency EUR', async () => {
    const printed = await chronicle('events', 'order', 'timed-1');
    expect(printed.code).toBe(0);
    const [first] = printed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RecordedEvent);
    expect(first).toMatchObject({ type: 'OrderPlaced', schemaVersion: 2, data: { currency: 'EUR' } });
  });

  it('chronicle state <type> <id> --at <time> prints the state then', async () => {
    const then = await chronicle('state', 'order', 'timed-1', '--at', '2025-01-01T12:00:00Z');
    expect(then.code).toBe(0);
    expect(JSON.parse(then.stdout)).toMatchObject({
      version: 1,
      value: { placed: { payment: 'pending' } },
      context: { details: { currency: 'EUR' } },
    });
    const before = await chronicle('state', 'order', 'timed-1', '--at', '2024-01-01T00:00:00Z');
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('had no events at');
    const bad = await chronicle('state', 'order', 'timed-1', '--at', 'noon');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ISO 8601');
  });
});

describe('a stored event this code cannot read in its current shape', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const codeOf = async (read: () => Promise<unknown>) => {
    try {
      await read();
    } catch (error) {
      return { code: isChronicleError(error) ? error.code : 'untyped', message: (error as Error).message };
    }
    return { code: 'none', message: '' };
  };

  it('a version from the future fails hydration and every read with EVENT_SCHEMA, naming the event', async () => {
    const knex = db.orm.em.getKnex();
    await writeOldStream(knex, 'future-1', [
      { type: 'OrderPlaced', schemaVersion: 3, data: placedV1, recordedAt: '2025-01-01T09:00:00.000Z' },
    ]);
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    const hydration = await codeOf(() => hydrateActor(store, order, 'future-1'));
    expect(hydration.code).toBe('EVENT_SCHEMA');
    expect(hydration.message).toMatch(/OrderPlaced schema version 3 \(order\/future-1 v1, position \d+/);
    expect(hydration.message).toContain('newer than version 2');
    // a subscription's read fails the same way: its partition stops rather than skipping the event
    const batch = await codeOf(() =>
      readEventBatch(knex, domainEventSchemas, {
        after: startOfStream,
        filter: {},
        partition: wholeStream,
        limit: 10,
      }),
    );
    expect(batch.code).toBe('EVENT_SCHEMA');
  });

  it('an event stored under an old name reads as the new type, and a filter on the new name finds it', async () => {
    const knex = db.orm.em.getKnex();
    const at = '2025-01-01T09:00:00.000Z';
    await writeOldStream(
      knex,
      'p-1',
      [{ type: 'Dispatched', schemaVersion: 1, data: { by: 'van' }, recordedAt: at }],
      'parcel',
    );
    // another stream type's Dispatched was not renamed
    await writeOldStream(
      knex,
      'c-1',
      [{ type: 'Dispatched', schemaVersion: 1, data: {}, recordedAt: at }],
      'courier',
    );
    const renamed = createEventSchemas([
      { type: 'parcel', events: { Shipped: eventVersions<{ by: string }>().wasNamed('Dispatched') } },
      { type: 'courier', events: {} },
    ]);
    const batch = await readEventBatch(knex, renamed, {
      after: startOfStream,
      filter: { eventTypes: ['Shipped'], streamTypes: ['parcel', 'courier'] },
      partition: wholeStream,
      limit: 10,
    });
    expect(batch.events.map((event) => [event.streamType, event.type, event.data])).toEqual([
      ['parcel', 'Shipped', { by: 'van' }],
    ]);
    const store = createPostgresEventStore(db.orm, { schemas: renamed });
    expect((await store.readStream({ streamType: 'courier', streamId: 'c-1' }))[0]?.type).toBe('Dispatched');
  });

  it('a chain without the step from the stored version fails with EVENT_SCHEMA', async () => {
    await writeOldStream(db.orm.em.getKnex(), 'gap-1', [oldHistory[0] as OldRow]);
    // upcasters before version 2 retired: a version-1 event has no way up
    const retired = createEventSchemas([
      { type: 'order', events: { OrderPlaced: eventVersions<OrderPlacedData>({ from: 2 }) } },
    ]);
    const store = createPostgresEventStore(db.orm, { schemas: retired });
    const read = await codeOf(() => store.readStream({ streamType: 'order', streamId: 'gap-1' }));
    expect(read).toMatchObject({ code: 'EVENT_SCHEMA' });
    expect(read.message).toContain('OrderPlaced schema version 1 (order/gap-1 v1');
    expect(read.message).toContain('no upcaster from version 1');
  });
});
