import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionsRetry, projectionsStatus } from '../../src/cli/projectionCommands.js';
import { defaultConfig } from '../../src/config/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { defineProjection, type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';
import { fastSettings, waitFor } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

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

describe('projections: a poison event', () => {
  let db: TestDatabase;
  let worker: ProjectionWorker | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await worker?.stop();
    await db.drop();
  });

  it('is retried with backoff, then stops its partition with the error in status; retry resumes it once fixed', async () => {
    let broken = true;
    const handled = new Set<number>();
    const poisonTries: number[] = [];
    const stomach = defineProjection<RecordedEvent<'Digested', Digested['data']>>({
      name: 'stomach',
      events: ['Digested'],
      handle: async (event) => {
        if (event.data.poison && broken) {
          poisonTries.push(Date.now());
          throw new Error('cannot digest this');
        }
        handled.add(event.data.n);
      },
      reset: async () => {},
    });
    const context = { orm: db.orm, projections: [stomach] };
    const store = createPostgresEventStore(db.orm);
    await append(store, 'm1', 0, [
      { type: 'Digested', data: { n: 1 } },
      { type: 'Digested', data: { n: 2 } },
      { type: 'Digested', data: { n: 3, poison: true } },
      { type: 'Digested', data: { n: 4 } },
    ]);
    await append(store, 'm2', 0, [{ type: 'Digested', data: { n: 5 } }]);

    worker = await runProjectionWorker({
      config: { ...defaultConfig, databaseUrl: db.url },
      projections: [stomach],
      settings: fastSettings('stomach-worker', { maxAttempts: 3, backoffInitialMs: 40, backoffMaxMs: 1_000 }),
    });
    const [failed] = await waitFor(
      async () => {
        const status = await projectionsStatus(context);
        return status[0]?.state === 'failed' && status;
      },
      { what: 'the partition to stop' },
    );
    if (failed?.state !== 'failed') throw new Error('unreachable');
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatchObject({ eventType: 'Digested', streamId: 'm1', version: 3 });
    expect(failed.error.message).toContain('cannot digest this');
    // the events before it were committed; the checkpoint stands right before the poison event
    expect(failed.checkpoint.globalPosition).toBe((failed.error.globalPosition ?? 0) - 1);
    expect(failed.lag.events).toBe(3);
    // it first met the poison mid-batch (uncounted: the events before it were committed alone), then
    // failed three counted times, backing off 40 ms, then 80 ms
    expect(poisonTries).toHaveLength(4);
    const [, first = 0, second = 0, third = 0] = poisonTries;
    expect(second - first).toBeGreaterThanOrEqual(39);
    expect(third - second).toBeGreaterThanOrEqual(79);
    // no silent skip: nothing after it is handled while it is stopped
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...handled].sort()).toEqual([1, 2]);

    broken = false;
    expect(await projectionsRetry(context, 'stomach')).toEqual({
      status: 'resumed',
      name: 'stomach',
      partitions: [0],
    });
    await waitFor(() => handled.size === 5, { what: 'the rest to be handled' });
    const [running] = await waitFor(async () => {
      const status = await projectionsStatus(context);
      return status[0]?.lag.events === 0 && status;
    });
    expect(running).toMatchObject({ state: 'running', owner: 'stomach-worker' });
    expect(await projectionsRetry(context, 'stomach')).toEqual({ status: 'nothing-failed', name: 'stomach' });
    expect(await projectionsRetry(context, 'nope')).toMatchObject({ status: 'unknown', known: ['stomach'] });
  });
});
