import { describe, expect, it } from 'vitest';
import { readOnlySnapshot, readStreamPage } from '../../src/eventStore/index.js';
import { usePostgresEventStore } from '../support/postgresEventStore.js';

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c' };

describe('a read-only snapshot of the store (what chronicle what-if reads in)', () => {
  const opened = usePostgresEventStore();
  const appendTo = (streamId: string) =>
    opened.store.append({
      streamType: 'order',
      streamId,
      expectedVersion: 0,
      events: [{ type: 'OrderPaymentInitiated', data: {} }],
      metadata,
    });

  it('sees the store as at its first read, whatever commits meanwhile, and writes nothing', async () => {
    const knex = opened.db.orm.em.getKnex();
    await appendTo('ro-1');
    await readOnlySnapshot(knex, async (trx) => {
      const page = () => readStreamPage(trx, { streamTypes: ['order'], limit: 10 });
      expect((await page()).map((stream) => stream.streamId)).toEqual(['ro-1']);
      await appendTo('ro-2');
      expect((await page()).map((stream) => stream.streamId)).toEqual(['ro-1']);
      await expect(trx.raw(`delete from es_streams where stream_id = 'ro-1'`)).rejects.toMatchObject({
        code: '25006',
      });
    });
    const after = await readStreamPage(knex, { streamTypes: ['order'], limit: 10 });
    expect(after.map((stream) => stream.streamId)).toEqual(['ro-1', 'ro-2']);
  });

  it('pages streams by keyset, after the last one of the page before', async () => {
    const knex = opened.db.orm.em.getKnex();
    const first = await readStreamPage(knex, { streamTypes: ['order'], limit: 1 });
    const second = await readStreamPage(knex, { streamTypes: ['order'], limit: 1, after: first[0] });
    expect([...first, ...second].map((stream) => stream.streamId)).toEqual(['ro-1', 'ro-2']);
  });
});
