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
