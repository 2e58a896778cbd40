import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventSchemas, eventVersions } from '../../src/eventSchemas/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { defineProjection, projectionStatus, projectionSubscription } from '../../src/projections/index.js';
import { SubscriptionHost } from '../../src/subscriptions/index.js';
import { writeOldStream } from '../eventStore/support/oldOrderRows.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

// parcel's Shipped was named Dispatched by an older release
const schemas = createEventSchemas([
  { type: 'parcel', events: { Shipped: eventVersions<{ by: string }>().wasNamed('Dispatched') } },
]);

describe('projection lag counts the events stored under an old type name', () => {
  let db: TestDatabase;
  const handled: RecordedEvent[] = [];
  const shipments = defineProjection({
    name: 'shipments',
    events: ['Shipped'],
    handle: async (event) => {
      handled.push(event);
    },
    reset: async () => {},
  });
  const runUntilHandled = async (count: number) => {
    const host = await SubscriptionHost.start({
      knex: db.orm.em.getKnex(),
      schemas,
      subscriptions: [projectionSubscription(shipments)],
      settings: fastSettings('renamed-lag'),
    });
    try {
      await waitFor(() => handled.length >= count, { what: `${count} events handled` });
    } finally {
      await host.stop();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('reports them in lag past the checkpoint until the projection has handled them, then 0', async () => {
    const knex = db.orm.em.getKnex();
    // given a projection that has handled everything so far
    await writeOldStream(
      knex,
      'p-1',
      [{ type: 'Shipped', schemaVersion: 1, data: { by: 'van' }, recordedAt: new Date().toISOString() }],
      'parcel',
    );
    await runUntilHandled(1);
    expect((await projectionStatus(knex, schemas, [shipments]))[0]?.lag).toEqual({
      events: 0,
      seconds: 0,
      estimated: false,
    });

    // when events arrive under the old name (an older release's pod, still writing during a rollout)
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    for (const id of ['p-2', 'p-3'])
      await writeOldStream(
        knex,
        id,
        [{ type: 'Dispatched', schemaVersion: 1, data: { by: 'bike' }, recordedAt: anHourAgo }],
        'parcel',
      );

    // then they count in its lag, the oldest one's age with them
    const [pending] = await projectionStatus(knex, schemas, [shipments]);
    expect(pending?.lag.events).toBe(2);
    expect(pending?.lag.seconds).toBeGreaterThanOrEqual(3_600);

    // and once it has handled them (as Shipped), its lag is 0
    await runUntilHandled(3);
    expect(handled.map((event) => [event.streamId, event.type])).toEqual([
      ['p-1', 'Shipped'],
      ['p-2', 'Shipped'],
      ['p-3', 'Shipped'],
    ]);
    expect((await projectionStatus(knex, schemas, [shipments]))[0]?.lag).toEqual({
      events: 0,
      seconds: 0,
      estimated: false,
    });
  });
});
