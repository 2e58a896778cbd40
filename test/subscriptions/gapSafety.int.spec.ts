import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { query, readEventBatch, wholeStream } from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deferred, waitFor } from '../support/waitFor.js';
import { appendHeld, collecting, startHost, streamsOutOfOrder } from './support.js';

const event = (n: number) => ({ type: 'Happened', data: { n } });

describe('subscriptions: reading the stream without skipping events', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /** The signal that a subscription is done: every partition's checkpoint moved to the newest event. */
  const checkpointsAtHead = (subscription: string) =>
    waitFor(
      async () => {
        const [row] = await query<{ behind: string; partitions: string }>(
          db.orm.em.getKnex(),
          `select count(*) filter (where global_position < (select max(global_position) from es_events)) as behind,
                  count(*) as partitions
           from es_checkpoints where subscription = ?`,
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
});
