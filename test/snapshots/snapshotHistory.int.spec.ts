import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { order } from '../../actors/index.js';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import { hydrateActor } from '../../src/actorHost/index.js';
import { createPostgresEventStore, type EventStore, query } from '../../src/eventStore/index.js';
import { snapshotAggregate } from '../../src/snapshots/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { apiWithWorker } from '../http/support/inProcessApi.js';
import { registry } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { sample } from '../support/prometheusSample.js';

// Each stream keeps its last N snapshots (CHRONICLE_SNAPSHOT_HISTORY); hydration starts from the latest.

const api = apiWithWorker();
let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = startTestTelemetry({ serviceName: 'chronicle-snapshot-worker' });
});
afterAll(async () => {
  await telemetry?.shutdown();
});

const storeKeeping = (snapshotHistory: number): EventStore =>
  createPostgresEventStore(api.path.db.orm, { schemas: registry.schemas, snapshotHistory });

/** Given an order with `payments` payment attempts after its placement (two events each). */
const orderWithHistory = async (id: string, attempts: number) => {
  const send = async (type: string, payload: unknown = {}) =>
    expect(
      (await api.path.client.send({ aggregateType: 'order', aggregateId: id, type, payload }, { wait: true }))
        .status,
    ).toBe('accepted');
  expect((await api.path.client.send(placeOrder(id), { wait: true })).status).toBe('accepted');
  for (let attempt = 0; attempt < attempts; attempt++) {
    await send('InitiatePayment');
    await send('FailPayment', { reason: `attempt ${attempt}` });
  }
};
const pay = (id: string) =>
  api.path.client.send(
    { aggregateType: 'order', aggregateId: id, type: 'InitiatePayment', payload: {} },
    { wait: true },
  );
const fail = (id: string) =>
  api.path.client.send(
    { aggregateType: 'order', aggregateId: id, type: 'FailPayment', payload: { reason: 'again' } },
    { wait: true },
  );
/** Writes a snapshot of order `id` at `version` under the sample's machine. */
const writeAt = (store: EventStore, id: string, version: number) =>
  store.writeSnapshot({
    streamType: 'order',
    streamId: id,
    machineHash: order.machineHash,
    version,
    state: { value: 'placed', context: {} } as never,
  });
const versions = async (store: EventStore, id: string) =>
  (await store.readSnapshots({ streamType: 'order', streamId: id })).map((snapshot) => snapshot.version);

describe('snapshot history', () => {
  it('given the default of 2, when snapshots are taken at v1, v3 and v5, then v5 and v3 are kept and v1 is pruned and counted', async () => {
    const store = storeKeeping(2);
    await orderWithHistory('sh-1', 0);
    await snapshotAggregate(store, order, 'sh-1');
    await pay('sh-1');
    await fail('sh-1');
    await snapshotAggregate(store, order, 'sh-1');
    expect(await versions(store, 'sh-1')).toEqual([3, 1]);
    await pay('sh-1');
    await fail('sh-1');
    await snapshotAggregate(store, order, 'sh-1');
    expect(await versions(store, 'sh-1')).toEqual([5, 3]);
    const text = await telemetry.metricsHandler();
    expect(sample(text, 'chronicle_snapshots_pruned_total', { chronicle_aggregate_type: 'order' })).toBe(1);

    const hydrated = await hydrateActor(store, order, 'sh-1');
    expect(hydrated).toMatchObject({ fromSnapshot: true, eventsFolded: 0 });
    expect(hydrated.actor.version).toBe(5);
  });

  it('given a history of 3, then three are kept; given 1, then only the latest', async () => {
    await orderWithHistory('sh-3', 3);
    const three = storeKeeping(3);
    for (const version of [1, 3, 5, 7]) await writeAt(three, 'sh-3', version);
    expect(await versions(three, 'sh-3')).toEqual([7, 5, 3]);
    const one = storeKeeping(1);
    const written = await writeAt(one, 'sh-3', 7);
    // the same version under the same machine is no newer: nothing replaced, nothing pruned
    expect(written).toEqual({ pruned: 0 });
    const newer = await writeAt(one, 'sh-3', 8);
    expect(newer).toEqual({ pruned: 3 });
    expect(await versions(one, 'sh-3')).toEqual([8]);
  });

  it('given an older snapshot written late (a slow worker), then it changes nothing', async () => {
    const store = storeKeeping(2);
    const before = await versions(store, 'sh-1');
    const late = await writeAt(store, 'sh-1', 2);
    expect(late).toEqual({ pruned: 0 });
    expect(await versions(store, 'sh-1')).toEqual(before);
  });

  it('given a latest snapshot of another machine, then hydration folds from the events, not from an older one', async () => {
    const store = storeKeeping(2);
    await query(
      api.path.db.orm.em.getKnex(),
      "update es_snapshots set machine_hash = 'another' where stream_type = 'order' and stream_id = 'sh-1'",
    );
    const hydrated = await hydrateActor(store, order, 'sh-1');
    expect(hydrated).toMatchObject({ fromSnapshot: false, eventsFolded: 5 });
  });

  it('when listed over HTTP, then the latest first with every kept one in `snapshots`; none is 404', async () => {
    const read = (route: string) => call(`${api.url}${route}`, { headers: withKey(keys.reader) });
    const answer = await read('/v1/snapshots/order/sh-3');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      version: 8,
      current: true,
      snapshots: [{ version: 8, current: true, machineHash: order.machineHash }],
    });
    const listed = (await read('/v1/snapshots/order/sh-1')).body as {
      snapshots: { version: number; current: boolean }[];
    };
    expect(listed.snapshots.map((snapshot) => [snapshot.version, snapshot.current])).toEqual([
      [5, false],
      [3, true],
    ]);
    expect((await read('/v1/snapshots/order/no-such')).status).toBe(404);
    expect(
      (await call(`${api.url}/v1/snapshots/order/sh-1`, { headers: withKey(keys.orderSender) })).status,
    ).toBe(403);
  });
});
