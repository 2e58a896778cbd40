import type { Knex } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventSchemas,
  type EventSchemas,
  type EventVersions,
  eventVersions,
} from '../../src/eventSchemas/index.js';
import { appendToStream, readCheckpoint, readStream } from '../../src/eventStore/index.js';
import { subscriptionStatus } from '../../src/projections/index.js';
import { EventHandlingError, SubscriptionHost } from '../../src/subscriptions/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { collecting, fastSettings } from './support.js';

/** The release that reads Noted up to version 99 (98 upcasters, each the identity). */
const newNoted = Array.from({ length: 98 }).reduce<EventVersions>(
  (chain) => chain.upcast((data) => data),
  eventVersions(),
);
const oldSchemas = createEventSchemas([{ type: 'note' }]);
const newSchemas = createEventSchemas([{ type: 'note', events: { Noted: newNoted } }]);

let commands = 0;
/** Appends one Noted as `schemas` writes it: version 1 (old release) or 99 (new release). */
const note = async (knex: Knex, schemas: EventSchemas, streamId: string, n: number, streamType = 'note') => {
  const commandId = `note-${++commands}`;
  const appended = await appendToStream(knex, schemas, {
    streamType,
    streamId,
    expectedVersion: 0,
    events: [{ type: 'Noted', data: { n } }],
    metadata: { commandId, correlationId: commandId, causationId: commandId },
    command: { commandId, type: 'Note' },
  });
  if (appended.status !== 'appended') throw new Error('not appended');
  return appended.result.events[0]?.globalPosition ?? 0;
};

const startHost = (knex: Knex, schemas: EventSchemas, name: string, workerId: string) => {
  const { definition, delivered } = collecting(name, 1, ['note']);
  const host = SubscriptionHost.start({
    schemas,
    knex,
    subscriptions: [definition],
    settings: fastSettings(workerId, { leaseTtlMs: 900 }),
  });
  return { host, delivered };
};

describe('subscriptions: an event written by a newer release', () => {
  let db: TestDatabase;
  let knex: Knex;
  const hosts: SubscriptionHost[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    knex = db.orm.em.getKnex();
  });
  afterAll(async () => {
    for (const host of hosts) await host.stop();
    await db.drop();
  });

  it('given readable events around one at version 99, applies those before it, waits at it uncounted, and a worker that reads it resumes on its own', async () => {
    const first = await note(knex, oldSchemas, 'n1', 1);
    const newer = await note(knex, newSchemas, 'n2', 2);
    const after = await note(knex, oldSchemas, 'n3', 3);
    const status = () => subscriptionStatus(knex, oldSchemas, 'notes', { streamTypes: ['note'] });

    // when a worker of the old release runs the subscription (one batch holds all three)
    const old = startHost(knex, oldSchemas, 'notes', 'old-1');
    hosts.push(await old.host);
    const [waiting] = await waitFor(async () => {
      const partitions = await status();
      return partitions[0]?.state === 'waiting' && partitions;
    });

    // then the event before it is applied, the checkpoint stands right before it, nothing failed
    expect(old.delivered.map((event) => event.data)).toEqual([{ n: 1 }]);
    expect(waiting?.checkpoint.globalPosition).toBe(first);
    expect(waiting).toMatchObject({
      state: 'waiting',
      owner: null,
      waiting: {
        eventType: 'Noted',
        streamType: 'note',
        streamId: 'n2',
        globalPosition: newer,
        schemaVersion: 99,
        knownVersion: 1,
        worker: 'old-1',
      },
    });
    const row = await readCheckpoint(knex, 'notes', 0);
    expect(row).toMatchObject({ status: 'active', attempts: 0, owner: null });

    // and another worker of the old release leaves it alone through several lease rounds
    const older = startHost(knex, oldSchemas, 'notes', 'old-2');
    hosts.push(await older.host);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect([(await old.host).owned(), (await older.host).owned()]).toEqual([{}, {}]);
    expect(older.delivered).toEqual([]);
    expect((await status())[0]?.state).toBe('waiting');

    // when a worker of the new release starts, it takes the partition and carries on from there
    const fresh = startHost(knex, newSchemas, 'notes', 'new-1');
    hosts.push(await fresh.host);
    await waitFor(() => fresh.delivered.length === 2, { what: 'the new release to apply the rest' });
    expect(fresh.delivered.map((event) => [event.globalPosition, event.schemaVersion])).toEqual([
      [newer, 99],
      [after, 99],
    ]);
    const [resumed] = await status();
    expect(resumed).toMatchObject({
      state: 'running',
      owner: 'new-1',
      checkpoint: { globalPosition: after },
    });
    expect(resumed).not.toHaveProperty('waiting');
    expect(await readCheckpoint(knex, 'notes', 0)).toMatchObject({ status: 'active', attempts: 0 });
    // nobody applied an event twice
    expect([...old.delivered, ...older.delivered, ...fresh.delivered]).toHaveLength(3);
  });

  it('given a handler that reads a stream holding an event of a newer release, applies the events before the one it handled and waits, uncounted', async () => {
    // memos each look their note up (the notes above: n2's was written by the newer release)
    const m1 = await note(knex, oldSchemas, 'n1', 1, 'memo');
    const m2 = await note(knex, oldSchemas, 'n2', 2, 'memo');
    const applied: number[] = [];
    const host = await SubscriptionHost.start({
      schemas: oldSchemas,
      knex,
      settings: fastSettings('old-3', { leaseTtlMs: 900 }),
      subscriptions: [
        {
          name: 'memos',
          partitions: 1,
          filter: { streamTypes: ['memo'] },
          handleBatch: async (events, tx) => {
            for (const [index, event] of events.entries()) {
              try {
                await readStream(tx, oldSchemas, { streamType: 'note', streamId: event.streamId });
              } catch (error) {
                throw new EventHandlingError(event, index, error);
              }
              applied.push(event.globalPosition);
            }
          },
        },
      ],
    });
    hosts.push(host);
    const [waiting] = await waitFor(async () => {
      const partitions = await subscriptionStatus(knex, oldSchemas, 'memos', { streamTypes: ['memo'] });
      return partitions[0]?.state === 'waiting' && partitions;
    });
    expect(waiting).toMatchObject({
      checkpoint: { globalPosition: m1 },
      waiting: { streamType: 'note', streamId: 'n2', schemaVersion: 99, knownVersion: 1 },
    });
    // m1's batch committed (the checkpoint above); m2 was never applied, and nothing failed
    expect(applied).toContain(m1);
    expect(applied).not.toContain(m2);
    expect(await readCheckpoint(knex, 'memos', 0)).toMatchObject({ status: 'active', attempts: 0 });
  });
});
