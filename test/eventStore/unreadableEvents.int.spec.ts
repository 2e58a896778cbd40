import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas, order } from '../../actors/index.js';
import type { OrderPlacedData } from '../../actors/order/index.js';
import { hydrateActor } from '../../src/actorHost/index.js';
import { isChronicleError } from '../../src/errors/index.js';
import { createEventSchemas, eventVersions } from '../../src/eventSchemas/index.js';
import {
  createPostgresEventStore,
  readEventBatch,
  startOfStream,
  UnreadableInBatch,
  wholeStream,
} from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { type OldRow, oldHistory, placedV1, writeOldStream } from './support/oldOrderRows.js';

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

  it('a version from the future fails hydration with EVENT_SCHEMA and stops a subscription read at it, naming the event', async () => {
    const knex = db.orm.em.getKnex();
    await writeOldStream(knex, 'future-1', [
      { type: 'OrderPlaced', schemaVersion: 3, data: placedV1, recordedAt: '2025-01-01T09:00:00.000Z' },
    ]);
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    const hydration = await codeOf(() => hydrateActor(store, order, 'future-1'));
    expect(hydration.code).toBe('EVENT_SCHEMA');
    expect(hydration.message).toMatch(/OrderPlaced schema version 3 \(order\/future-1 v1, position \d+/);
    expect(hydration.message).toContain('newer than version 2');
    // a subscription's read names the event and where it stands in the batch: the partition applies
    // what comes before it and waits there for a release that reads it, skipping nothing
    const batch = await readEventBatch(knex, domainEventSchemas, {
      after: startOfStream,
      filter: {},
      partition: wholeStream,
      limit: 10,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(batch).toBeInstanceOf(UnreadableInBatch);
    expect(batch).toMatchObject({ index: 0, unreadable: { code: 'EVENT_SCHEMA', problem: 'newer-version' } });
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
    // hydration's lean read renames it too
    expect(await store.readStreamToFold({ streamType: 'parcel', streamId: 'p-1' })).toEqual([
      { version: 1, type: 'Shipped', data: { by: 'van' } },
    ]);
    expect(await store.readStreamToFold({ streamType: 'courier', streamId: 'c-1' })).toEqual([
      { version: 1, type: 'Dispatched', data: {} },
    ]);
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
    const toFold = await codeOf(() => store.readStreamToFold({ streamType: 'order', streamId: 'gap-1' }));
    expect(toFold).toMatchObject({ code: 'EVENT_SCHEMA' });
    expect(toFold.message).toContain('OrderPlaced schema version 1 (order/gap-1 v1');
  });
});
