import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import {
  type Checkpoint,
  query,
  readEventBatch,
  startOfStream,
  wholeStream,
} from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

describe('readEventBatch', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // transaction ids set by hand, long committed, in the opposite order of their positions and
    // across digit counts (99 < 100 < 1000 as numbers, not as text)
    await query(
      db.orm.em.getKnex(),
      `insert into es_events (transaction_id, stream_type, stream_id, version, event_id, type, data, metadata)
       select t.xid::xid8, 'thing', 's-' || t.xid, 1, gen_random_uuid(), t.type, '{}', '{}'
       from (values ('1000', 'A'), ('100', 'B'), ('99', 'A')) as t(xid, type)`,
    );
  });
  afterAll(() => db.drop());

  const readAll = async (filter = {}, partition = wholeStream) => {
    const seen: string[] = [];
    let after: Checkpoint = startOfStream;
    for (let full = true; full; ) {
      const batch = await readEventBatch(db.orm.em.getKnex(), domainEventSchemas, {
        after,
        filter,
        partition,
        limit: 1,
      });
      seen.push(...batch.events.map((event) => event.transactionId));
      after = batch.next;
      full = batch.full;
    }
    return { seen, after };
  };

  it('reads in transaction id order, numerically', async () => {
    expect((await readAll()).seen).toEqual(['99', '100', '1000']);
  });

  it('moves past events outside its filter to the newest position below the horizon', async () => {
    const { seen, after } = await readAll({ eventTypes: ['A'] });
    expect(seen).toEqual(['99', '1000']);
    expect(after.transactionId).toBe('1000');
    const none = await readEventBatch(db.orm.em.getKnex(), domainEventSchemas, {
      after: startOfStream,
      filter: { eventTypes: ['Z'] },
      partition: wholeStream,
      limit: 10,
    });
    expect(none).toMatchObject({ events: [], full: false, next: { transactionId: '1000' } });
  });

  it('splits streams over partitions: each event in exactly one', async () => {
    const parts = await Promise.all([0, 1, 2].map((index) => readAll({}, { index, count: 3 })));
    expect(parts.flatMap((part) => part.seen).sort()).toEqual(['100', '1000', '99']);
  });
});

describe('readEventBatch in partitions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // a long stream of another type first (more rows than a read's window), then 60 single-event
    // streams spread over the partitions by the hash of their ids
    await query(
      db.orm.em.getKnex(),
      `insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
       select 'other', 'x', n, gen_random_uuid(), 'A', '{}'::jsonb, '{}'::jsonb from generate_series(1, 2500) as n
       union all
       select 'thing', 's-' || n, 1, gen_random_uuid(), 'A', '{}', '{}' from generate_series(1, 60) as n`,
    );
  });
  afterAll(() => db.drop());

  it('walks the stream a window at a time: each event of the partition once, in order, however sparse', async () => {
    const knex = db.orm.em.getKnex();
    const seen: number[] = [];
    let emptyButFull = 0;
    for (const index of [0, 1, 2, 3]) {
      const positions: number[] = [];
      let after: Checkpoint = startOfStream;
      for (let full = true; full; ) {
        const batch = await readEventBatch(knex, domainEventSchemas, {
          after,
          filter: { streamTypes: ['thing'] },
          partition: { index, count: 4 },
          limit: 2,
        });
        expect(batch.events.length).toBeLessThanOrEqual(2);
        if (batch.full && batch.events.length === 0) emptyButFull++;
        positions.push(...batch.events.map((event) => event.globalPosition));
        after = batch.next;
        full = batch.full;
      }
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      seen.push(...positions);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, n) => 2501 + n));
    // the first window holds none of the partitions' events: each moves past it with none, not done
    expect(emptyButFull).toBeGreaterThanOrEqual(4);
  });
});
