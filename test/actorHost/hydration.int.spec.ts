import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas, order } from '../../actors/index.js';
import { hydrateActor } from '../../src/actorHost/index.js';
import { AggregateInstance } from '../../src/aggregate/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c' };
const placed = {
  type: 'OrderPlaced',
  data: {
    customerId: 'c',
    productId: 'p',
    vendorId: 'v',
    quantity: 1,
    totalPrice: 5,
    paymentMethod: 'CARD',
    currency: 'EUR',
    placedAt: '2026-01-01T00:00:00.000Z',
  },
};

describe('hydration from snapshot plus later events', () => {
  let db: TestDatabase;
  let store: EventStore;
  const stream = { streamType: 'order', streamId: 'hydrate-1' };
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    // given 251 events: placed, then 125 payment attempts that start and fail
    const events = [placed];
    for (let i = 1; i <= 125; i++) {
      events.push(
        { type: 'OrderPaymentInitiated', data: {} } as never,
        { type: 'OrderPaymentFailed', data: { reason: `#${i}` } } as never,
      );
    }
    await store.append({
      ...stream,
      expectedVersion: 0,
      events,
      metadata,
      command: { commandId: 'seed', type: 'Seed' },
    });
  });
  afterAll(() => db.drop());

  const foldAll = async () =>
    AggregateInstance.hydrate(order, stream.streamId, undefined, await store.readStream(stream));

  it('given a snapshot at version 120, folds only the 131 later events and reaches the same state as folding all', async () => {
    const upTo120 = AggregateInstance.hydrate(
      order,
      stream.streamId,
      undefined,
      await store.readStream(stream, { toVersion: 120 }),
    );
    await store.writeSnapshot({
      ...stream,
      version: 120,
      machineHash: order.machineHash,
      state: JSON.parse(JSON.stringify(upTo120.persisted())),
    });

    const hydrated = await hydrateActor(store, order, stream.streamId);
    expect(hydrated).toMatchObject({ fromSnapshot: true, eventsFolded: 131 });
    expect(hydrated.actor.state).toEqual((await foldAll()).state);
    expect(hydrated.actor.state).toMatchObject({
      version: 251,
      value: { placed: { payment: 'failed', shipping: 'waitingForPayment' } },
    });
  });

  it('given a snapshot taken by another machine definition, ignores it and folds every event', async () => {
    await store.writeSnapshot({
      ...stream,
      version: 200,
      machineHash: 'another-machine',
      state: { value: 'draft', context: {} },
    });
    const hydrated = await hydrateActor(store, order, stream.streamId);
    expect(hydrated).toMatchObject({ fromSnapshot: false, eventsFolded: 251 });
    expect(hydrated.actor.state).toEqual((await foldAll()).state);
  });

  it('reads snapshot and events in one statement: the snapshot only if of this machine and not past toVersion', async () => {
    const upTo150 = AggregateInstance.hydrate(
      order,
      stream.streamId,
      undefined,
      await store.readStream(stream, { toVersion: 150 }),
    );
    await store.writeSnapshot({
      ...stream,
      version: 150,
      machineHash: order.machineHash,
      state: upTo150.persisted(),
    });
    const after = await store.readToFold(stream, order.machineHash);
    expect(after.snapshot).toEqual({ version: 150, state: upTo150.persisted() });
    expect(after.events).toEqual(await store.readStreamToFold(stream, { afterVersion: 150 }));
    // the state at version 140 cannot start from the snapshot at 150
    const at140 = await store.readToFold(stream, order.machineHash, { toVersion: 140 });
    expect(at140.snapshot).toBeUndefined();
    expect(at140.events.map((event) => event.version)).toEqual(Array.from({ length: 140 }, (_, i) => i + 1));
    // a snapshot of another machine is no start
    const other = await store.readToFold(stream, 'another-machine', { toVersion: 160 });
    expect(other.snapshot).toBeUndefined();
    expect(other.events).toHaveLength(160);
  });
});
