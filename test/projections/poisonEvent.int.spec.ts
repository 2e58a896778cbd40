import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { projectionsRetry, projectionsStatus } from '../../src/cli/projectionCommands.js';
import { defaultConfig } from '../../src/config/index.js';
import {
  createPostgresEventStore,
  type EventStore,
  listSubscriptionDeadLetters,
  requestDeadLetterRetry,
} from '../../src/eventStore/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { defineProjection, type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

type Digested = { type: 'Digested'; data: { n: number; poison?: boolean } };

const append = (store: EventStore, streamId: string, expectedVersion: number, events: Digested[]) =>
  store.append({
    streamType: 'meal',
    streamId,
    expectedVersion,
    events,
    metadata: { commandId: `${streamId}-${expectedVersion}`, correlationId: 'c', causationId: 'c' },
    command: { commandId: `${streamId}-${expectedVersion}`, type: 'Eat' },
  });

const digested = (...ns: number[]): Digested[] => ns.map((n) => ({ type: 'Digested', data: { n } }));

describe('projections: an event the handler cannot take', () => {
  let db: TestDatabase;
  let worker: ProjectionWorker | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await worker?.stop();
    await db.drop();
  });

  it('is parked as a dead letter of the projection, its stream behind it, and every other stream goes on; a retry replays them in order', async () => {
    let broken = true;
    const handled: number[] = [];
    const stomach = defineProjection<RecordedEvent<'Digested', Digested['data']>>({
      name: 'stomach',
      events: ['Digested'],
      handle: async (event) => {
        if (event.data.poison && broken) {
          // as PostgreSQL refuses a value, with the SQL text in front of its message
          throw Object.assign(new Error('update stomach set n = $1 - value out of range'), { code: '22003' });
        }
        handled.push(event.data.n);
      },
      reset: async () => {},
    });
    const context = { orm: db.orm, aggregates, projections: [stomach] };
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    await append(store, 'm1', 0, [...digested(1, 2), { type: 'Digested', data: { n: 3, poison: true } }]);
    await append(store, 'm2', 0, digested(5));
    worker = await runProjectionWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      projections: [stomach],
      settings: fastSettings('stomach-worker'),
    });
    // a later event of the poisoned stream, and fifty events of other streams
    await append(store, 'm1', 3, digested(4));
    for (let n = 0; n < 50; n++) await append(store, `other-${n}`, 0, digested(100 + n));

    const [running] = await waitFor(async () => {
      const status = await projectionsStatus(context);
      return status[0]?.lag.events === 0 && status;
    });
    expect(running).toMatchObject({ state: 'running', deadLetters: 2 });
    expect(handled.filter((n) => n >= 100)).toHaveLength(50);
    expect(handled).toEqual(expect.arrayContaining([1, 2, 5]));
    expect(handled).not.toContain(4); // behind the dead letter: per-stream order holds
    const parked = await listSubscriptionDeadLetters(db.orm.em.getKnex());
    expect(parked.map((letter) => [letter.streamId, letter.version, letter.code])).toEqual(
      expect.arrayContaining([
        ['m1', 3, 'VALUE_REFUSED'],
        ['m1', 4, 'BEHIND_DEAD_LETTER'],
      ]),
    );
    expect(JSON.stringify(parked)).not.toMatch(/update stomach/);

    // once fixed, a retry of the first parked event replays the stream's parked events, in order
    broken = false;
    const first = parked.find((letter) => letter.version === 3);
    expect(await requestDeadLetterRetry(db.orm.em.getKnex(), first?.eventId ?? '')).toEqual(['stomach']);
    await waitFor(async () => (await listSubscriptionDeadLetters(db.orm.em.getKnex())).length === 0, {
      what: 'the dead letters to be replayed',
    });
    expect(handled.slice(-2)).toEqual([3, 4]);
    expect((await projectionsStatus(context))[0]).toMatchObject({ state: 'running', deadLetters: 0 });
  });

  it('a failure that is the deployment’s (a missing table) stops the partition instead, visibly, until retried', async () => {
    let broken = true;
    const handled: number[] = [];
    const stale = defineProjection<RecordedEvent<'Digested', Digested['data']>>({
      name: 'stale_schema',
      events: ['Digested'],
      handle: async (event) => {
        if (broken) throw Object.assign(new Error('relation "nowhere" does not exist'), { code: '42P01' });
        handled.push(event.data.n);
      },
      reset: async () => {},
    });
    const context = { orm: db.orm, aggregates, projections: [stale] };
    await worker?.stop();
    worker = await runProjectionWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      projections: [stale],
      settings: fastSettings('stale-worker', { maxAttempts: 2 }),
    });
    const [failed] = await waitFor(async () => {
      const status = await projectionsStatus(context);
      return status[0]?.state === 'failed' && status;
    });
    expect(failed).toMatchObject({ state: 'failed', deadLetters: 0 });
    expect(failed?.state === 'failed' && failed.error).toMatchObject({ code: 'SCHEMA_MISMATCH' });
    broken = false;
    expect(await projectionsRetry(context, 'stale_schema')).toMatchObject({ status: 'resumed' });
    await waitFor(async () => (await projectionsStatus(context))[0]?.lag.events === 0, { what: 'catch-up' });
    expect(handled.length).toBeGreaterThan(50);
  });
});
