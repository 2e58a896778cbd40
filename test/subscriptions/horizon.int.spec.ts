import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { markReaderTransaction, readHorizon } from '../../src/eventStore/index.js';
import { subscriptionStatus } from '../../src/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deferred, waitFor } from '../support/waitFor.js';
import { appendHeld, collecting, startHost, streamsOutOfOrder } from './support.js';

/**
 * A writer that takes its transaction id first (a statement on another table), pauses, and only
 * then inserts into es_events, as a process manager, a migration or an operator's script would.
 */
const appendLate = (
  knex: Knex,
  streamId: string,
  count: number,
  pause: (pid: number) => Promise<void>,
  streamType = 'late',
) =>
  knex.transaction(async (tx) => {
    const [row] = (await tx.raw('select pg_backend_pid() as pid')).rows as { pid: number }[];
    await tx.raw(`insert into es_streams (stream_type, stream_id, version) values (?, ?, ?)`, [
      streamType,
      streamId,
      count,
    ]);
    await pause(row?.pid ?? 0);
    await tx.raw(
      `insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
       select ?, ?, v, gen_random_uuid(), 'Happened', jsonb_build_object('n', v),
         jsonb_build_object('commandId', ?::text, 'correlationId', ?::text, 'causationId', ?::text)
       from generate_series(1, ?) v`,
      [streamType, streamId, streamId, streamId, streamId, count],
    );
  });

describe('subscriptions: the horizon waits for every transaction that may still append', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('holds back for a writer that took its transaction id before touching es_events, and shows it', async () => {
    const knex = db.orm.em.getKnex();
    const { definition, delivered } = collecting('late-one', 1, ['late', 'thing']);
    const host = await startHost(knex, definition, 'w1');
    try {
      // given a writer that wrote es_streams (so it has a transaction id) and pauses before es_events
      const paused = deferred();
      const release = deferred();
      let writerPid = 0;
      const late = appendLate(knex, 'late-1', 2, async (pid) => {
        writerPid = pid;
        paused.resolve();
        await release.promise;
      });
      await paused.promise;
      // when others append and commit meanwhile, and are read
      await appendHeld(knex, 'after-1', 0, [{ type: 'Happened', data: { n: 1 } }]);
      // then the status names the transaction holding the subscriptions back
      const horizon = await waitFor(
        async () => {
          const read = await readHorizon(knex);
          return read.blocker ? read : undefined;
        },
        { what: 'the blocker' },
      );
      expect(horizon.waiting).toBe(true);
      expect(horizon.blocker).toMatchObject({ pid: writerPid, state: 'idle in transaction' });
      expect(delivered).toHaveLength(0);
      const [partition] = await subscriptionStatus(knex, domainEventSchemas, 'late-one', definition.filter);
      expect(partition?.heldBack).toMatchObject({ pid: writerPid, state: 'idle in transaction', events: 1 });

      // when the writer appends and commits, every event arrives once, its own before the later ones
      release.resolve();
      await late;
      await waitFor(() => delivered.length >= 3, { what: 'three events' });
      expect(delivered.map((e) => e.streamId)).toEqual(['late-1', 'late-1', 'after-1']);
      expect((await readHorizon(knex)).blocker).toBeUndefined();
    } finally {
      await host.stop();
    }
  });

  it('with many such writers at random pauses beside ordinary appends, delivers every event exactly once', async () => {
    const knex = db.orm.em.getKnex();
    const { definition, delivered } = collecting('late-many', 3, ['late-many', 'ordinary']);
    const hosts = await Promise.all(['a', 'b'].map((id) => startHost(knex, definition, id)));
    try {
      let total = 0;
      const late = Array.from({ length: 24 }, async (_, w) => {
        await sleep(Math.random() * 200);
        const count = 1 + (w % 3);
        await appendLate(knex, `many-${w}`, count, () => sleep([0, 1, 5, 50, 300][w % 5] ?? 0), 'late-many');
        total += count;
      });
      const ordinary = Array.from({ length: 6 }, async (_, w) => {
        for (let version = 0; version < 8; version++) {
          await appendHeld(
            knex,
            `ordinary-${w}`,
            version,
            [{ type: 'Happened', data: { version } }],
            undefined,
            'ordinary',
          );
          total += 1;
          await sleep(Math.random() * 30);
        }
      });
      await Promise.all([...late, ...ordinary]);
      await waitFor(() => delivered.length >= total, { what: `${total} events`, timeoutMs: 30_000 });
      // one more round of every partition after the last commit: nothing more arrives
      const before = delivered.length;
      await appendHeld(knex, 'sentinel', 0, [{ type: 'Happened', data: {} }], undefined, 'ordinary');
      await waitFor(() => delivered.some((e) => e.streamId === 'sentinel'), { what: 'the sentinel' });
      expect(delivered.length).toBe(before + 1);
      expect(new Set(delivered.map((e) => e.eventId)).size).toBe(total + 1);
      expect(streamsOutOfOrder(delivered)).toEqual([]);
    } finally {
      await Promise.all(hosts.map((host) => host.stop()));
    }
  });

  it('passes over readers (subscription batches) and transactions of other databases', async () => {
    const knex = db.orm.em.getKnex();
    const { definition, delivered } = collecting('not-held', 1, ['free']);
    const host = await startHost(knex, definition, 'w3');
    const wrote = deferred();
    const release = deferred();
    // given a reader's batch transaction that has written (so it has a transaction id) and stays open
    const reader = knex.transaction(async (tx) => {
      await markReaderTransaction(tx);
      await tx.raw(
        `insert into es_snapshots (stream_type, stream_id, version, machine_hash, state) values ('x', 'y', 1, 'h', '{}')`,
      );
      wrote.resolve();
      await release.promise;
    });
    // and a writing transaction open in another database
    const other = new pg.Client({ connectionString: db.url.replace(/\/[^/]+$/, '/postgres') });
    await other.connect();
    await other.query('begin');
    await other.query('create temp table held (n int)');
    await other.query('insert into held values (1)');
    try {
      await wrote.promise;
      // when events are appended and committed after them
      await appendHeld(knex, 'free-1', 0, [{ type: 'Happened', data: {} }], undefined, 'free');
      // then they are delivered while both are still open
      await waitFor(() => delivered.some((e) => e.streamId === 'free-1'), { what: 'the later event' });
    } finally {
      release.resolve();
      await reader;
      await other.query('rollback');
      await other.end();
      await host.stop();
    }
  });

  it('refuses an append from a transaction marked as a reader, so nothing can hide behind one', async () => {
    const knex = db.orm.em.getKnex();
    const attempt = knex.transaction(async (tx) => {
      await markReaderTransaction(tx);
      await tx.raw(
        `insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
         values ('thing', 'sneaky', 1, gen_random_uuid(), 'Happened', '{}', '{}')`,
      );
    });
    await expect(attempt).rejects.toMatchObject({ code: '0A000' });
  });
});
