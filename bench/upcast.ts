import { domainEventSchemas } from '../actors/index.js';
import { createOrm } from '../src/db/index.js';
import { upcastEvent } from '../src/eventSchemas/index.js';
import { query, readEventBatch, startOfStream, wholeStream } from '../src/eventStore/index.js';
import type { RecordedEvent } from '../src/messages/index.js';
import { benchEnvironment } from './benchEnvironment.js';
import { ratio } from './stats.js';

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const placedSql = (schemaVersion: 1 | 2, prefix: string) => `
  insert into es_events (stream_type, stream_id, version, event_id, type, schema_version, data, metadata)
  select 'order', '${prefix}-' || n, 1, gen_random_uuid(), 'OrderPlaced', ${schemaVersion},
    jsonb_build_object('customerId', 'c', 'productId', 'p', 'vendorId', 'v', 'quantity', 1, 'totalPrice', n,
      'paymentMethod', 'CARD', 'placedAt', '2026-01-01T00:00:00.000Z')
      ${schemaVersion === 2 ? `|| '{"currency": "EUR"}'::jsonb` : ''},
    '{"commandId": "c", "correlationId": "c", "causationId": "c"}'::jsonb
  from generate_series(1, ?) as n`;

/**
 * What upcasting costs a reader: a batch of `count` OrderPlaced events stored as version 1 (each
 * taken through the upcaster) against the same batch stored as version 2 (read as it is), through
 * the subscriptions' reader, medians of `runs` interleaved reads; and upcastEvent alone, in memory.
 */
export const upcastBench = async (count = 5_000, runs = 7) => {
  const env = await benchEnvironment('upcast');
  const orm = await createOrm(env.databaseUrl);
  const knex = orm.em.getKnex();
  try {
    // two transactions: the version-1 rows first, so one batch reads exactly them and the next the others
    await query(knex, placedSql(1, 'v1'), [count]);
    await query(knex, placedSql(2, 'v2'), [count]);
    const read = (after = startOfStream) =>
      readEventBatch(knex, domainEventSchemas, { after, filter: {}, partition: wholeStream, limit: count });
    const first = await read();
    const samples = { v1: [] as number[], v2: [] as number[] };
    for (let run = 0; run < runs; run++) {
      let t0 = performance.now();
      await read();
      samples.v1.push(performance.now() - t0);
      t0 = performance.now();
      await read(first.next);
      samples.v2.push(performance.now() - t0);
    }
    const storedV1Ms = Number(median(samples.v1).toFixed(1));
    const storedV2Ms = Number(median(samples.v2).toFixed(1));
    const v1 = first.events.map((event) => ({
      ...event,
      schemaVersion: 1,
      data: { ...(event.data as object) },
    }));
    const v2 = (await read(first.next)).events;
    const inMemory = (events: readonly RecordedEvent[]) => {
      const t0 = performance.now();
      for (let round = 0; round < 20; round++)
        for (const event of events) upcastEvent(domainEventSchemas, event);
      return ((performance.now() - t0) * 1000) / (20 * events.length);
    };
    const upcastUsPerEvent = Number(inMemory(v1).toFixed(3));
    const currentUsPerEvent = Number(inMemory(v2).toFixed(3));
    return {
      events: count,
      storedV1Ms,
      storedV2Ms,
      readV1VsV2: ratio(storedV1Ms, storedV2Ms),
      upcastUsPerEvent,
      currentUsPerEvent,
    };
  } finally {
    await orm.close(true);
    await env.drop();
  }
};
