/**
 * The NATS outbox: catch-up throughput over 100,000 stored events (4 partitions, one host), and live
 * lag from the append to JetStream's acknowledgement under 16 command callers; beside a raw
 * JetStream publish loop of the same messages (same bodies, msg ids, in-flight window) in the same
 * run, which is the broker's own ceiling on this machine.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { domainEventSchemas } from '../actors/index.js';
import {
  outboxOutline,
  outboxSubscription,
  publishedEvent,
  publishedEventHeaders,
} from '../src/broker/index.js';
import { defaultNatsConfig } from '../src/config/index.js';
import { createOrm } from '../src/db/index.js';
import { readEventBatch, startOfStream, wholeStream } from '../src/eventStore/index.js';
import type { RecordedEvent } from '../src/messages/index.js';
import { connectNats, createNatsEventBroker } from '../src/nats/index.js';
import { startSubscriptionWorker } from '../src/subscriptions/index.js';
import { benchEnvironment } from './benchEnvironment.js';
import { benchSettings, timeCatchUp } from './catchUp.js';
import { BENCH_SHARDS, commandThroughput } from './commandThroughput.js';
import { seed } from './projections.js';
import { percentile, ratio } from './stats.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? defaultNatsConfig.url;
const EVENTS = Number(process.env.BENCH_NATS_EVENTS ?? 100_000);
const BATCH = 500;
const IN_FLIGHT = defaultNatsConfig.publishConcurrency;
const round = (ms: number) => Number(ms.toFixed(1));

/** A stream and subject prefix of the run's own on the shared server, deleted afterwards. */
const withStream = async <T>(
  nc: NatsConnection,
  tag: string,
  fn: (names: { stream: string; subjectPrefix: string }) => Promise<T>,
) => {
  const names = { stream: `BENCH_${tag}_${process.pid}`, subjectPrefix: `bench_${tag}_${process.pid}` };
  try {
    return await fn(names);
  } finally {
    await (await jetstreamManager(nc)).streams.delete(names.stream).catch(() => {});
  }
};

/** Every stored event, read once (not timed), for the raw loop. */
const allEvents = async (knex: Parameters<typeof readEventBatch>[0]) => {
  const events: RecordedEvent[] = [];
  for (let after = startOfStream, full = true; full; ) {
    const batch = await readEventBatch(knex, domainEventSchemas, {
      after,
      filter: {},
      partition: wholeStream,
      limit: 5_000,
    });
    events.push(...batch.events);
    after = batch.next;
    full = batch.full;
  }
  return events;
};

/** The raw loop: the same messages straight to JetStream, IN_FLIGHT publishes awaiting their ack. */
const rawPublishLoop = async (nc: NatsConnection, events: readonly RecordedEvent[]) =>
  withStream(nc, 'raw', async (names) => {
    const broker = createNatsEventBroker(nc, { ...names, duplicateWindowMs: 600_000 });
    await broker.ensureStream();
    const js = jetstream(nc);
    const encoder = new TextEncoder();
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < events.length) {
          const event = events[next++] as RecordedEvent;
          const hdrs = headers();
          for (const [name, value] of Object.entries(publishedEventHeaders(event, {}))) hdrs.set(name, value);
          const t0 = performance.now();
          await js.publish(broker.destination(event), encoder.encode(JSON.stringify(publishedEvent(event))), {
            msgID: event.eventId,
            headers: hdrs,
          });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      events: events.length,
      inFlight: IN_FLIGHT,
      seconds: Number(seconds.toFixed(3)),
      perSecond: Math.round(events.length / seconds),
      ackP50Ms: round(percentile(latencies, 50)),
      ackP99Ms: round(percentile(latencies, 99)),
    };
  });

/** The outbox from checkpoint zero to the head: four partitions in one host, batches of 500. */
const outboxCatchUp = async (nc: NatsConnection, knex: Parameters<typeof readEventBatch>[0], total: number) =>
  withStream(nc, 'outbox', async (names) => {
    const broker = createNatsEventBroker(nc, { ...names, duplicateWindowMs: 600_000 });
    await broker.ensureStream();
    const { events, seconds, perSecond } = await timeCatchUp(
      knex,
      outboxSubscription({ broker, outline: outboxOutline({ system: 'nats' }), concurrency: IN_FLIGHT }),
      total,
      benchSettings('bench-outbox', BATCH),
    );
    return { events, partitions: 4, batchSize: BATCH, seconds, perSecond };
  });

/** Live lag: append (recorded_at) to JetStream's ack, under `concurrency` command callers. */
const liveLag = async (operations: number, concurrency: number) => {
  const nc = await connectNats(NATS_URL, 'bench-live');
  try {
    return await withStream(nc, 'live', async (names) => {
      const lags: number[] = [];
      const broker = createNatsEventBroker(nc, { ...names, duplicateWindowMs: 600_000 });
      const load = await commandThroughput(operations, concurrency, async (config) => {
        const worker = await startSubscriptionWorker({
          schemas: domainEventSchemas,
          config,
          settings: benchSettings('bench-live', BATCH),
          subscriptions: () => [
            outboxSubscription({
              broker,
              outline: outboxOutline({ system: 'nats' }),
              concurrency: IN_FLIGHT,
              onPublished: (event) => lags.push(Date.now() - Date.parse(event.recordedAt)),
            }),
          ],
        });
        return async () => {
          // let the outbox drain what the load appended
          const orm = await createOrm(config.databaseUrl, { poolSize: 1 });
          const [row] = (
            await orm.em.getKnex().raw<{ rows: { n: string }[] }>('select count(*) as n from es_events')
          ).rows;
          for (let i = 0; i < 200 && lags.length < Number(row?.n); i++)
            await new Promise((r) => setTimeout(r, 50));
          await orm.close(true);
          await worker.stop();
        };
      });
      lags.sort((a, b) => a - b);
      return {
        shards: BENCH_SHARDS,
        callers: concurrency,
        commandsPerSecond: load.perSecond,
        eventsPublished: lags.length,
        lagP50Ms: round(percentile(lags, 50)),
        lagP99Ms: round(percentile(lags, 99)),
        lagMaxMs: round(lags.at(-1) ?? Number.NaN),
      };
    });
  } finally {
    await nc.close();
  }
};

export const benchNatsPublish = async (liveOperations: number) => {
  const env = await benchEnvironment('nats');
  const orm = await createOrm(env.databaseUrl, { poolSize: 8 });
  const knex = orm.em.getKnex();
  const nc = await connectNats(NATS_URL, 'bench');
  try {
    const total = await seed(knex, EVENTS);
    await knex.raw('vacuum analyze es_events');
    const baselineRawPublish = await rawPublishLoop(nc, await allEvents(knex));
    const catchUp = await outboxCatchUp(nc, knex, total);
    return {
      baselineRawPublish,
      catchUp,
      catchUpVsRawPublish: ratio(catchUp.perSecond, baselineRawPublish.perSecond),
      liveLagSixteenCallers: await liveLag(liveOperations, 16),
    };
  } finally {
    await nc.close();
    await orm.close(true);
    await env.drop();
  }
};
