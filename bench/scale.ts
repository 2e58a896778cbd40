import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import pg from 'pg';
import { domainEventSchemas } from '../actors/index.js';
import { listOrders, projections } from '../actors/projections/index.js';
import { createOrm, type Orm } from '../src/db/index.js';
import {
  createPostgresEventStore,
  type EventStore,
  readHeadPosition,
  readStreamCounts,
  streamsDueForSnapshot,
  writeSnapshot,
} from '../src/eventStore/index.js';
import { natsOutbox } from '../src/nats/runNatsWorker.js';
import { projectionStatus, subscriptionStatus } from '../src/projections/index.js';
import { eventFeed } from '../src/queries/index.js';
import { benchEnvironment } from './benchEnvironment.js';
import { buildScaleStore, checkpointAtHead, eventsOf, type ScaleShape } from './scaleStore.js';

/** The two stores: 60,000 events, and 5.2 million (a million orders and four long streams). */
export const smallShape: ScaleShape = { orders: 2_000, longStreams: 1, longLength: 50_000 };
export const largeShape = (orders: number): ScaleShape => ({ orders, longStreams: 4, longLength: 50_000 });

const START = Date.parse('2026-01-01T00:00:00Z');

/** What the reads need to know of a store: a long stream, a position 90% in, a fresh order id. */
type Store = {
  readonly label: string;
  readonly events: number;
  readonly orm: Orm;
  readonly knex: Knex;
  readonly store: EventStore;
  readonly longStream: { readonly streamType: string; readonly streamId: string };
  readonly at90: number;
  readonly anOrder: string;
  readonly pageAfter: string | null;
};

const openStore = async (label: string, url: string, events: number): Promise<Store> => {
  const orm = await createOrm(url, { poolSize: 4 });
  const knex = orm.em.getKnex();
  const one = async <Row>(sql: string, params: readonly unknown[] = []) =>
    (await knex.raw<{ rows: Row[] }>(sql, params as Knex.RawBinding[])).rows[0] as Row;
  const long = await one<{ stream_id: string; version: number }>(
    "select stream_id, version from es_streams where stream_type = 'product' order by stream_id limit 1",
  );
  const at90 = await one<{ global_position: string }>(
    'select global_position from es_events order by transaction_id, global_position offset ? limit 1',
    [Math.floor(events * 0.9)],
  );
  const order = await one<{ stream_id: string }>(
    "select stream_id from es_streams where stream_type = 'order' order by stream_id limit 1",
  );
  // the sweep finds nothing due: every long stream snapshotted at its head
  for (const row of (
    await knex.raw<{ rows: { stream_id: string; version: number }[] }>(
      "select stream_id, version from es_streams where stream_type = 'product'",
    )
  ).rows)
    await writeSnapshot(knex, {
      streamType: 'product',
      streamId: row.stream_id,
      version: row.version,
      machineHash: 'bench',
      state: { value: 'active', context: {} },
    });
  // a page deep in the list: the `next` of a page half-way through (found once, by offset)
  const half = await listOrders(knex, { limit: 10, offset: Math.floor((events / 5) * 0.5) });
  return {
    label,
    events,
    orm,
    knex,
    store: createPostgresEventStore(orm, { schemas: domainEventSchemas }),
    longStream: { streamType: 'product', streamId: long.stream_id },
    at90: Number(at90.global_position),
    anOrder: order.stream_id,
    pageAfter: half.status === 'ok' ? half.data.next : null,
  };
};

/** Each read the issue measured, and the command path's two statements (append, hydrate). */
const reads: Record<string, (store: Store) => Promise<unknown>> = {
  ordersFirstPage: (s) => listOrders(s.knex, { limit: 10 }),
  ordersDeepPage: (s) => listOrders(s.knex, { limit: 10, ...(s.pageAfter ? { after: s.pageAfter } : {}) }),
  projectionsStatus: async (s) => {
    await projectionStatus(s.knex, domainEventSchemas, projections);
    const outbox = natsOutbox();
    await subscriptionStatus(s.knex, domainEventSchemas, outbox.name, outbox.filter, outbox.partitions, {
      optional: true,
    });
  },
  stats: async (s) => {
    await readStreamCounts(s.knex);
    await readHeadPosition(s.knex);
  },
  snapshotSweepNothingDue: async (s) => {
    for (const streamType of ['order', 'product'])
      await streamsDueForSnapshot(s.knex, {
        streamType,
        machineHash: 'bench',
        snapshotEvery: 100,
        limit: 500,
      });
  },
  feedTypeWithNoEvents: (s) => eventFeed(s.knex, domainEventSchemas, { type: 'OrderCancelled', limit: 100 }),
  feedTypeAfter90: (s) =>
    eventFeed(s.knex, domainEventSchemas, { type: 'OrderPaid', after: s.at90, limit: 100 }),
  // the long streams' events are 100 ms apart from START: the middle of 50,000
  stateAtTimeMidLongStream: (s) => s.store.versionAt(s.longStream, new Date(START + 25_000 * 100)),
  hydrateOrder: (s) => s.store.readToFold({ streamType: 'order', streamId: s.anOrder }, 'bench'),
  appendNewOrder: (s) => {
    const commandId = randomUUID();
    return s.store.append({
      streamType: 'order',
      streamId: `bench-${commandId}`,
      expectedVersion: 0,
      events: [{ type: 'OrderPaymentInitiated', data: {} }],
      metadata: { commandId, correlationId: commandId, causationId: commandId },
      command: { commandId, type: 'InitiatePayment' },
    });
  },
};

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** `reps` calls of `read` on `store`: the median call, in ms. */
const time = async (read: (store: Store) => Promise<unknown>, store: Store, reps: number) => {
  const samples: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const started = performance.now();
    await read(store);
    samples.push(performance.now() - started);
  }
  return median(samples);
};

const round = (value: number) => Number(value.toFixed(3));

/**
 * `npm run bench -- scale`: a small and a large store (bench/scaleStore.ts), then each read of
 * `reads` on both, interleaved (small, large, per read, per round), the median of `rounds` rounds of
 * `reps` calls each, and large ÷ small per read. BENCH_SCALE_ORDERS sets the large store's orders
 * (default a million: 5.2 million events); BENCH_SCALE_LARGE_URL measures an existing large store
 * (built by an earlier run, left in place) instead of building one, which takes most of the run.
 */
export const scaleBench = async ({
  orders = Number(process.env.BENCH_SCALE_ORDERS ?? 1_000_000),
  largeUrl = process.env.BENCH_SCALE_LARGE_URL,
  rounds = 5,
  reps = 5,
}: {
  orders?: number;
  largeUrl?: string | undefined;
  rounds?: number;
  reps?: number;
} = {}) => {
  const small = await benchEnvironment('scale_small');
  const large = largeUrl ? undefined : await benchEnvironment('scale_large');
  const checkpoints = [...projections.map((p) => ({ name: p.name, partitions: p.partitions }))];
  const built: Record<string, number> = {};
  const build = async (url: string, shape: ScaleShape) => {
    const started = performance.now();
    await buildScaleStore(url, shape);
    await checkpointAtHead(url, checkpoints);
    return round((performance.now() - started) / 1000);
  };
  built.smallSeconds = await build(small.databaseUrl, smallShape);
  const largeShapeUsed = largeShape(orders);
  const largeDatabase = largeUrl ?? large?.databaseUrl ?? '';
  if (large) built.largeSeconds = await build(large.databaseUrl, largeShapeUsed);
  const largeEvents = Number(
    (await (async () => {
      const client = new pg.Client({ connectionString: largeDatabase });
      await client.connect();
      try {
        return (await client.query<{ n: string }>('select count(*) as n from es_events')).rows[0]?.n;
      } finally {
        await client.end();
      }
    })()) ?? eventsOf(largeShapeUsed),
  );
  const stores = [
    await openStore('small', small.databaseUrl, eventsOf(smallShape)),
    await openStore('large', largeDatabase, largeEvents),
  ] as const;
  try {
    // one call of each first: caches and plans as a serving pod has them
    for (const read of Object.values(reads)) for (const store of stores) await read(store);
    const samples: Record<string, { small: number[]; large: number[] }> = {};
    for (let round = 0; round < rounds; round++)
      for (const [name, read] of Object.entries(reads)) {
        samples[name] ??= { small: [], large: [] };
        samples[name].small.push(await time(read, stores[0], reps));
        samples[name].large.push(await time(read, stores[1], reps));
      }
    const perRead = Object.fromEntries(
      Object.entries(samples).map(([name, { small: s, large: l }]) => [
        name,
        {
          smallMs: round(median(s)),
          largeMs: round(median(l)),
          largeOverSmall: round(median(l) / median(s)),
        },
      ]),
    );
    return {
      small: { events: stores[0].events, shape: smallShape },
      large: { events: stores[1].events, shape: largeShapeUsed, reused: largeUrl !== undefined },
      built,
      rounds,
      repsPerRound: reps,
      perRead,
    };
  } finally {
    for (const store of stores) await store.orm.close(true);
    await small.drop();
    await large?.drop();
  }
};
