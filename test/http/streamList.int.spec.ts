import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStreamsById, query, readRecentStreams } from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { rowsRead } from '../support/rowsRead.js';
import { keys } from './support/apiKeys.js';
import { call, withKey } from './support/http.js';
import { startInProcessApi } from './support/inProcessApi.js';

type Listed = { kind: string; type: string; id: string; version: number; updatedAt: string };

let path: CommandPath;
let server: ApiServer;
let url: string;

const streams = async (search: string, key = keys.reader) => {
  const answer = await call(`${url}/v1/streams${search}`, { headers: withKey(key) });
  return { status: answer.status, body: answer.body as { streams: Listed[]; code?: string } };
};

describe('GET /v1/streams: the streams there are, for the start page', () => {
  beforeAll(async () => {
    path = await createCommandPath();
    ({ server, url } = await startInProcessApi(path.config));
    // 2,000 orders last changed a second apart (o-1 the newest), a payment and an order-payment
    // instance sharing an id with one of them
    await query(
      path.db.orm.em.getKnex(),
      `insert into es_streams (stream_type, stream_id, version, updated_at)
       select 'order', 'o-' || g, g % 7 + 1, now() - g * interval '1 second' from generate_series(1, 2000) g
       union all select 'payment', 'o-5', 2, now() - interval '1 hour'
       union all select 'order-payment', 'o-5', 3, now() - interval '2 hours'`,
    );
    // as autovacuum would: the planner knows the table is not tiny
    await query(path.db.orm.em.getKnex(), 'analyze es_streams');
  });
  afterAll(async () => {
    await server?.close();
    await path?.close();
  });

  it('given 2,000 orders, when the newest ten are asked for, answers them newest first, reading about ten index entries', async () => {
    const { status, body } = await streams('?type=order&limit=10');
    expect(status).toBe(200);
    expect(body.streams.map((stream) => stream.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `o-${i + 1}`),
    );
    expect(body.streams[0]).toMatchObject({ kind: 'aggregate', type: 'order', version: 2 });
    const { rows } = await rowsRead(path.db.orm.em.getKnex(), ['es_streams'], (tx) =>
      readRecentStreams(tx, ['order'], 10),
    );
    expect(rows).toBeLessThanOrEqual(20);
  });

  it('without a type, merges every aggregate type and process manager, newest first, each named by its kind', async () => {
    const { body } = await streams('?limit=3');
    expect(body.streams.map((stream) => `${stream.type}/${stream.id}`)).toEqual([
      'order/o-1',
      'order/o-2',
      'order/o-3',
    ]);
    const all = await streams('?limit=100');
    expect(all.body.streams).toHaveLength(100);
  });

  it('finds an id in every type, by primary key: the order, the payment and the process-manager instance', async () => {
    const { body } = await streams('?id=o-5');
    expect(body.streams.map((stream) => [stream.kind, stream.type, stream.id])).toEqual([
      ['aggregate', 'order', 'o-5'],
      ['aggregate', 'payment', 'o-5'],
      ['process-manager', 'order-payment', 'o-5'],
    ]);
    expect((await streams('?type=payment&id=o-5')).body.streams).toHaveLength(1);
    expect((await streams('?id=nothing-here')).body.streams).toEqual([]);
    const { rows } = await rowsRead(path.db.orm.em.getKnex(), ['es_streams'], (tx) =>
      findStreamsById(tx, ['order', 'payment', 'order-payment', 'user', 'product'], 'o-5'),
    );
    expect(rows).toBeLessThanOrEqual(10);
  });

  it('refuses an unknown type, a limit out of 1..100 and a malformed id (400), and callers without credentials (401)', async () => {
    const unknown = await streams('?type=invoice');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('INVALID_REQUEST');
    expect((await streams('?limit=0')).status).toBe(400);
    expect((await streams('?limit=101')).status).toBe(400);
    expect((await streams(`?id=${'x'.repeat(300)}`)).status).toBe(400);
    expect((await call(`${url}/v1/streams`)).status).toBe(401);
  });
});
