import type { Knex } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import {
  beginBatch,
  type Checkpoint,
  claimPartitions,
  ensurePartitions,
  query,
  readCheckpoint,
  readEventBatch,
  startOfStream,
} from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { appendHeld } from './support.js';

const name = 'begin_batch_spec';
const move = { name, partition: 0, owner: 'w1', ttlMs: 60_000, reader: true };
const request = (after: Checkpoint, limit = 2) => ({
  after,
  filter: { streamTypes: ['thing'] },
  partition: { index: 0, count: 1 },
  limit,
});

describe('beginBatch: a batch read and begun in one statement', () => {
  let db: TestDatabase;
  let knex: Knex;
  beforeAll(async () => {
    db = await createTestDatabase();
    knex = db.orm.em.getKnex();
    await ensurePartitions(knex, name, 1);
    await claimPartitions(knex, { name, partitions: 1 }, 'w1', 60_000, 1);
    for (const n of [1, 2, 3]) await appendHeld(knex, `s-${n}`, 0, [{ type: 'Happened', data: { n } }]);
  });
  afterAll(() => db.drop());

  it('reads what readEventBatch reads and moves the checkpoint to its end with the transaction', async () => {
    const read = await readEventBatch(knex, domainEventSchemas, request(startOfStream));
    const start = await knex.transaction((tx) =>
      beginBatch(tx, domainEventSchemas, request(startOfStream), move),
    );
    expect(start.status).toBe('begun');
    if (start.status !== 'begun') return;
    expect(start.batch.events.map((event) => event.streamId)).toEqual(['s-1', 's-2']);
    expect(start.batch).toEqual(read);
    expect((await readCheckpoint(knex, name, 0))?.checkpoint).toEqual(start.batch.next);
  });

  it('is stale, and moves nothing, when the checkpoint is no longer where the batch was read from', async () => {
    const stored = (await readCheckpoint(knex, name, 0))?.checkpoint;
    const start = await knex.transaction((tx) =>
      beginBatch(tx, domainEventSchemas, request(startOfStream), move),
    );
    // what the read found comes back for the batch's span, not to be handled
    expect(start).toMatchObject({ status: 'stale' });
    if (start.status !== 'stale') return;
    expect(start.events.map((event) => event.streamId)).toEqual(['s-1', 's-2']);
    expect((await readCheckpoint(knex, name, 0))?.checkpoint).toEqual(stored);
    const other = await knex.transaction((tx) =>
      beginBatch(tx, domainEventSchemas, request(stored ?? startOfStream), { ...move, owner: 'w2' }),
    );
    expect(other).toMatchObject({ status: 'stale' });
  });

  it('with nothing new below the horizon, moves nothing and takes no transaction id', async () => {
    let after = (await readCheckpoint(knex, name, 0))?.checkpoint ?? startOfStream;
    const rest = await knex.transaction((tx) => beginBatch(tx, domainEventSchemas, request(after), move));
    if (rest.status !== 'begun') throw new Error('the rest was not begun');
    expect(rest.batch.events.map((event) => event.streamId)).toEqual(['s-3']);
    after = rest.batch.next;
    const idle = await knex.transaction(async (tx) => {
      const start = await beginBatch(tx, domainEventSchemas, request(after), move);
      const [xid] = await query<{ xid: string | null }>(
        tx,
        'select pg_current_xact_id_if_assigned()::text as xid',
      );
      return { start, xid: xid?.xid };
    });
    expect(idle.start).toMatchObject({ status: 'begun', batch: { events: [], next: after, full: false } });
    expect(idle.xid).toBeNull();
  });

  it('stops at an open append and says so (blocked), then reads it once committed', async () => {
    const after = (await readCheckpoint(knex, name, 0))?.checkpoint ?? startOfStream;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened = () => {};
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const appending = appendHeld(knex, 's-4', 0, [{ type: 'Happened', data: { n: 4 } }], async () => {
      opened();
      await held;
    });
    await open;
    await appendHeld(knex, 's-5', 0, [{ type: 'Happened', data: { n: 5 } }]);
    const blocked = await knex.transaction((tx) => beginBatch(tx, domainEventSchemas, request(after), move));
    expect(blocked).toMatchObject({ status: 'begun', batch: { events: [], blocked: true, next: after } });
    release();
    await appending;
    const both = await knex.transaction((tx) => beginBatch(tx, domainEventSchemas, request(after), move));
    if (both.status !== 'begun') throw new Error('not begun');
    expect(both.batch.events.map((event) => event.streamId)).toEqual(['s-4', 's-5']);
  });

  it('in partitions: each event in exactly one partition’s batch, each checkpoint moved past the rest', async () => {
    const split = `${name}_split`;
    await ensurePartitions(knex, split, 2);
    await claimPartitions(knex, { name: split, partitions: 2 }, 'w1', 60_000, 2);
    const seen: string[] = [];
    for (const index of [0, 1]) {
      const start = await knex.transaction((tx) =>
        beginBatch(
          tx,
          domainEventSchemas,
          { ...request(startOfStream, 100), partition: { index, count: 2 } },
          { ...move, name: split, partition: index },
        ),
      );
      if (start.status !== 'begun') throw new Error(`partition ${index} not begun`);
      seen.push(...start.batch.events.map((event) => event.streamId));
      expect((await readCheckpoint(knex, split, index))?.checkpoint).toEqual(start.batch.next);
    }
    expect(seen.sort()).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5']);
  });
});
