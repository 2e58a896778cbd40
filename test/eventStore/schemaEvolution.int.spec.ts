import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas, order } from '../../actors/index.js';
import type { OrderPlacedData } from '../../actors/order/index.js';
import { listOrders, ordersView } from '../../actors/projections/index.js';
import { hydrateActor } from '../../src/actorHost/index.js';
import { AggregateInstance, machineHash } from '../../src/aggregate/index.js';
import { projectionsRebuild } from '../../src/cli/projectionCommands.js';
import { defaultConfig, defaultNatsConfig, type NatsConfig } from '../../src/config/index.js';
import { createPostgresEventStore, type Db, type EventStore, query } from '../../src/eventStore/index.js';
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
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { detailsOf, oldHistory, placedV1, writeOldStream } from './support/oldOrderRows.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';

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
    const folded = AggregateInstance.hydrate(order, 'old-1', undefined, [
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
    // hydration's lean read of a stream of old and current events: each in place, in its current shape
    const old1 = { streamType: 'order', streamId: 'old-1' };
    expect(await store.readStreamToFold(old1)).toEqual(
      (await store.readStream(old1)).map(({ version, type, data }) => ({ version, type, data })),
    );
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
