import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { domainEventSchemas } from '../../actors/index.js';
import { hydrateActor } from '../../src/actorHost/index.js';
import { AggregateInstance, createAggregateRegistry, defineAggregate } from '../../src/aggregate/index.js';
import { takeSnapshot } from '../../src/cli/projectionCommands.js';
import { defaultConfig } from '../../src/config/index.js';
import { createPostgresEventStore, type EventStore, query } from '../../src/eventStore/index.js';
import {
  runSnapshotWorker,
  type SnapshotWorker,
  snapshotTargets,
  sweepSnapshots,
} from '../../src/snapshots/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { REDIS_URL } from '../support/commandPath.js';
import {
  createTestDatabase,
  dropQueuePrefix,
  type TestDatabase,
  testQueuePrefix,
} from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

type Added = { type: 'Added'; data: { n: number } };

const counterMachine = (double: boolean) =>
  setup({ types: { context: {} as { total: number; count: number }, events: {} as Added } }).createMachine({
    id: 'counter',
    context: { total: 0, count: 0 },
    initial: 'counting',
    states: {
      counting: {
        on: {
          // two versions of the definition, as a deployment would change it: the hash follows the source
          Added: {
            actions: double
              ? assign(({ context, event }) => ({
                  total: context.total + 2 * event.data.n,
                  count: context.count + 1,
                }))
              : assign(({ context, event }) => ({
                  total: context.total + event.data.n,
                  count: context.count + 1,
                })),
          },
        },
      },
    },
  });

const counter = defineAggregate({
  type: 'counter',
  machine: counterMachine(false),
  commands: {},
  snapshotEvery: 5,
});

let appended = 0;
const add = async (store: EventStore, id: string, from: number, count: number) => {
  const commandId = `add-${++appended}`;
  await store.append({
    streamType: 'counter',
    streamId: id,
    expectedVersion: from,
    events: Array.from({ length: count }, (_, i) => ({ type: 'Added', data: { n: from + i + 1 } })),
    metadata: { commandId, correlationId: commandId, causationId: commandId },
    command: { commandId, type: 'Add' },
  });
  return from + count;
};

describe('snapshots: policy, machine changes, sweep', () => {
  let db: TestDatabase;
  let store: EventStore;
  let worker: SnapshotWorker | undefined;
  const prefix = testQueuePrefix();
  const config = () => ({ ...defaultConfig, databaseUrl: db.url, queuePrefix: prefix });
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
  });
  afterAll(async () => {
    await worker?.stop();
    await db.drop();
    await dropQueuePrefix(REDIS_URL, prefix);
  });

  /** The signal that the worker has seen every event so far: each `snapshots` partition's checkpoint reached the head. */
  const readEverything = () =>
    waitFor(
      async () => {
        const [row] = await query<{ behind: string }>(
          db.orm.em.getKnex(),
          `select count(*) as behind from es_checkpoints
           where subscription = 'snapshots' and global_position < (select max(global_position) from es_events)`,
        );
        const [partitions] = await query<{ n: string }>(
          db.orm.em.getKnex(),
          `select count(*) as n from es_checkpoints where subscription = 'snapshots'`,
        );
        return Number(partitions?.n) > 0 && Number(row?.behind) === 0;
      },
      { what: 'the snapshot worker to read every event' },
    );

  it('takes a snapshot once a stream passes its last one by N events; hydrating from it equals folding all events', async () => {
    worker = await runSnapshotWorker({
      config: config(),
      aggregates: [counter],
      settings: fastSettings('snapshotter'),
      sweepEveryMs: 600_000,
    });
    const stream = { streamType: 'counter', streamId: 'c1' };
    let version = await add(store, 'c1', 0, 3);
    await readEverything();
    expect(await store.readSnapshot(stream)).toBeUndefined();

    version = await add(store, 'c1', version, 4);
    const first = await waitFor(() => store.readSnapshot(stream), { what: 'a snapshot at version 7' });
    expect(first).toMatchObject({ version: 7, machineHash: counter.machineHash });

    version = await add(store, 'c1', version, 2);
    await readEverything();
    expect((await store.readSnapshot(stream))?.version).toBe(7);
    version = await add(store, 'c1', version, 3);
    const second = await waitFor(async () => {
      const snapshot = await store.readSnapshot(stream);
      return snapshot?.version === 12 && snapshot;
    });

    const all = await store.readStream(stream);
    const folded = AggregateInstance.hydrate(counter, 'c1', undefined, all);
    const restored = AggregateInstance.hydrate(
      counter,
      'c1',
      { state: second.state, version: second.version },
      await store.readStream(stream, { afterVersion: second.version }),
    );
    expect(restored.persisted()).toEqual(folded.persisted());
    expect(restored.version).toBe(folded.version);
    expect(folded.persisted().context).toEqual({ total: 78, count: 12 });
    await worker.stop();
    worker = undefined;
  });

  it('ignores a snapshot of another machine definition, and the sweep replaces it', async () => {
    const changed = defineAggregate({
      type: 'counter',
      machine: counterMachine(true),
      commands: {},
      snapshotEvery: 5,
    });
    expect(changed.machineHash).not.toBe(counter.machineHash);
    const stale = await hydrateActor(store, changed, 'c1');
    expect(stale.fromSnapshot).toBe(false);
    expect(stale.actor.persisted().context).toEqual({ total: 156, count: 12 });

    const knex = db.orm.em.getKnex();
    expect(await sweepSnapshots(knex, store, snapshotTargets(createAggregateRegistry([changed])))).toEqual({
      scanned: 1,
      taken: 1,
    });
    const fresh = await hydrateActor(store, changed, 'c1');
    expect(fresh.fromSnapshot).toBe(true);
    expect(fresh.actor.persisted()).toEqual(stale.actor.persisted());
    // and the first definition now ignores the new snapshot in turn
    expect((await hydrateActor(store, counter, 'c1')).fromSnapshot).toBe(false);
  });

  it('the scheduled sweep (a BullMQ job scheduler) catches streams the stream reading missed, and forgets expired command payloads', async () => {
    const knex = db.orm.em.getKnex();
    await add(store, 'missed', 0, 6);
    // a command whose payload the ledger has kept past its retention (30 days by default)
    await store.append({
      streamType: 'counter',
      streamId: 'kept',
      expectedVersion: 0,
      events: [{ type: 'Added', data: { n: 1 } }],
      metadata: { commandId: 'kept-1', correlationId: 'kept-1', causationId: 'kept-1' },
      command: { commandId: 'kept-1', type: 'Add', payload: { n: 1 } },
    });
    await query(
      knex,
      `update es_commands set recorded_at = now() - interval '31 days' where command_id = 'kept-1'`,
    );
    // the reading has passed these events already (as if a worker had skipped them)
    await query(
      knex,
      `update es_checkpoints set (transaction_id, global_position) =
         (select transaction_id, global_position from es_events order by transaction_id desc, global_position desc limit 1)
       where subscription = 'snapshots'`,
    );
    worker = await runSnapshotWorker({
      config: config(),
      aggregates: [counter],
      settings: fastSettings('sweeper'),
      sweepEveryMs: 200,
    });
    const queue = new Queue('snapshot-sweep', { connection: { url: defaultConfig.redisUrl }, prefix });
    try {
      expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual(['snapshot-sweep']);
    } finally {
      await queue.close();
    }
    const snapshot = await waitFor(() => store.readSnapshot({ streamType: 'counter', streamId: 'missed' }), {
      what: 'the sweep to snapshot the missed stream',
    });
    expect(snapshot.version).toBe(6);
    await waitFor(
      async () => {
        const [row] = await query<{ payload: unknown }>(
          knex,
          `select payload from es_commands where command_id = 'kept-1'`,
        );
        return row?.payload === null;
      },
      { what: 'the sweep to forget the expired payload' },
    );
  });

  it('snapshot <type> <id> takes one now', async () => {
    const context = { orm: db.orm, projections: [], aggregates: [counter] };
    await add(store, 'c9', 0, 2);
    expect(await takeSnapshot(context, 'counter', 'c9')).toMatchObject({ status: 'taken', version: 2 });
    expect(await takeSnapshot(context, 'counter', 'c9')).toEqual({ status: 'current', version: 2 });
    expect(await takeSnapshot(context, 'counter', 'nobody')).toMatchObject({ status: 'empty' });
    expect(await takeSnapshot(context, 'nope', 'x')).toMatchObject({ status: 'unknown', known: ['counter'] });
  });
});
