import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { query, readEventBatch, wholeStream } from '../../src/eventStore/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import type { SubscriptionDefinition } from '../../src/subscriptions/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deferred, waitFor } from '../support/waitFor.js';
import { appendAfter, appendHeld, collecting, startHost, streamsOutOfOrder } from './support.js';

const event = (n: number) => ({ type: 'Happened', data: { n } });

describe('subscriptions: reading the stream without skipping events', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /**
   * The signal that a subscription is done: every partition's checkpoint moved to the newest event
   * in the order subscriptions read (a writer that took its transaction id early appends last in
   * that order, though not at the highest position).
   */
  const checkpointsAtHead = (subscription: string) =>
    waitFor(
      async () => {
        const [row] = await query<{ behind: string; partitions: string }>(
          db.orm.em.getKnex(),
          `select count(*) filter (where (c.transaction_id, c.global_position) < (h.transaction_id, h.global_position))
                    as behind,
                  count(*) as partitions
           from es_checkpoints c, (select transaction_id, global_position from es_events
                                   order by transaction_id desc, global_position desc limit 1) h
           where c.subscription = ?`,
          [subscription],
        );
        return Number(row?.partitions) > 0 && Number(row?.behind) === 0;
      },
      { what: `${subscription}'s checkpoints at the head` },
    );

  it('does not move past an open transaction, and delivers its events once it commits', async () => {
    const knex = db.orm.em.getKnex();
    const { definition, delivered } = collecting('gap-one');
    const host = await startHost(knex, definition, 'w1');
    try {
      await appendHeld(knex, 'before', 0, [event(1), event(2)]);
      await waitFor(() => delivered.length === 2, { what: 'the first events' });

      // given a writer that has inserted its events (lower positions) but not committed
      const inserted = deferred();
      const release = deferred();
      const held = appendHeld(knex, 'held', 0, [event(1), event(2)], async () => {
        inserted.resolve();
        await release.promise;
      });
      await inserted.promise;
      // when later writers append and commit
      for (const id of ['after-1', 'after-2', 'after-3']) await appendHeld(knex, id, 0, [event(1), event(2)]);

      // then the reader the host runs answers "blocked" and hands out nothing past the open
      // transaction (whether or not the host has polled yet: the order checked below proves it did
      // not skip), and the checkpoint is not past it
      const stored = await query<{ transaction_id: string; global_position: string }>(
        knex,
        `select transaction_id::text as transaction_id, global_position from es_checkpoints where subscription = 'gap-one'`,
      );
      const [at] = stored;
      const read = await readEventBatch(knex, domainEventSchemas, {
        after: { transactionId: at?.transaction_id ?? '0', globalPosition: Number(at?.global_position) },
        filter: {},
        partition: wholeStream,
        limit: 100,
      });
      expect([read.events.length, read.blocked]).toEqual([0, true]);
      expect(delivered.map((e) => e.streamId)).toEqual(['before', 'before']);
      const [checkpoint] = await query<{ global_position: string }>(
        knex,
        `select global_position from es_checkpoints where subscription = 'gap-one'`,
      );
      expect(Number(checkpoint?.global_position)).toBe(delivered[1]?.globalPosition);

      // when it commits, everything arrives, each event once
      release.resolve();
      await held;
      await waitFor(() => delivered.length >= 10, { what: 'all ten events' });
      await checkpointsAtHead('gap-one');
      expect(delivered).toHaveLength(10);
      expect(new Set(delivered.map((e) => e.eventId)).size).toBe(10);
      expect(delivered.slice(2, 4).map((e) => e.streamId)).toEqual(['held', 'held']);
      // the held events took lower positions than events committed before them: a reader going by
      // global_position alone would have passed over them
      const heldMax = Math.max(
        ...delivered.filter((e) => e.streamId === 'held').map((e) => e.globalPosition),
      );
      const laterMin = Math.min(
        ...delivered.filter((e) => e.streamId.startsWith('after')).map((e) => e.globalPosition),
      );
      expect(heldMax).toBeLessThan(laterMin);
    } finally {
      await host.stop();
    }
  });

  it('with many concurrent writers and random delays, delivers every event exactly once, in stream order', async () => {
    const knex = db.orm.em.getKnex();
    const { definition, delivered } = collecting('gap-many', 3, ['many']);
    // two hosts share the three partitions, as two pods would
    const hosts = await Promise.all(['a', 'b'].map((id) => startHost(knex, definition, id)));
    try {
      const writers = 12;
      const appendsPerWriter = 8;
      let total = 0;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          let version = 0;
          for (let a = 0; a < appendsPerWriter; a++) {
            const count = 1 + ((w + a) % 3);
            const events = Array.from({ length: count }, (_, i) => event(version + i + 1));
            await appendHeld(knex, `writer-${w}`, version, events, () => sleep(Math.random() * 40), 'many');
            version += count;
            total += count;
            await sleep(Math.random() * 10);
          }
        }),
      );
      await waitFor(() => delivered.length >= total, { what: `${total} events`, timeoutMs: 30_000 });
      await checkpointsAtHead(definition.name);
      expect(delivered).toHaveLength(total);
      expect(new Set(delivered.map((e) => e.eventId)).size).toBe(total);
      expect(streamsOutOfOrder(delivered)).toEqual([]);
    } finally {
      await Promise.all(hosts.map((host) => host.stop()));
    }
  });

  it('with writers holding a row the batches write (the batches wait on them), delivers every event exactly once, in stream order', async () => {
    const knex = db.orm.em.getKnex();
    // a read model of one row per partition, as orders_view has rows an operator may lock
    await knex.raw('create table gap_rows (partition int primary key, batches int not null default 0)');
    await knex.raw('insert into gap_rows (partition) select generate_series(0, 2)');
    const delivered: RecordedEvent[] = [];
    const definition: SubscriptionDefinition = {
      name: 'gap-locked',
      partitions: 3,
      filter: { streamTypes: ['locking', 'plain'] },
      handleBatch: async (events, tx, { partition }) => {
        await tx.raw('update gap_rows set batches = batches + 1 where partition = ?', [partition]);
        delivered.push(...events);
      },
    };
    const hosts = await Promise.all(['a', 'b'].map((id) => startHost(knex, definition, id)));
    try {
      let total = 0;
      // writers that lock a row (so they have a transaction id and a batch may wait on them),
      // pause, then append; beside them, plain appends whose later ids a reader may pass
      const locking = Array.from({ length: 6 }, async (_, w) => {
        for (let version = 0; version < 6; version++) {
          await appendAfter(
            knex,
            `locking-${w}`,
            version,
            [event(version + 1)],
            async (tx) => {
              await tx.raw('update gap_rows set batches = batches where partition = ?', [(w + version) % 3]);
              await sleep(Math.random() * 60);
            },
            'locking',
          );
          total += 1;
        }
      });
      const plain = Array.from({ length: 3 }, async (_, w) => {
        for (let version = 0; version < 12; version++) {
          await appendHeld(knex, `plain-${w}`, version, [event(version + 1)], undefined, 'plain');
          total += 1;
          await sleep(Math.random() * 15);
        }
      });
      await Promise.all([...locking, ...plain]);
      // every checkpoint at the head: each batch that delivered is committed, none is to come
      await checkpointsAtHead(definition.name);
      expect(delivered).toHaveLength(total);
      expect(new Set(delivered.map((e) => e.eventId)).size).toBe(total);
      expect(streamsOutOfOrder(delivered)).toEqual([]);
    } finally {
      await Promise.all(hosts.map((host) => host.stop()));
    }
  });
});
