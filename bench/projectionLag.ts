import type { Knex } from '@mikro-orm/postgresql';
import { aggregates } from '../actors/index.js';
import { orderEventTypes, projections } from '../actors/projections/index.js';
import { createOrm, defineProjection, type Projection, runProjectionWorker } from '../src/index.js';
import { BENCH_SHARDS, commandThroughput } from './commandThroughput.js';
import { percentile } from './stats.js';

/**
 * Records, in the projection's own transaction, when each event reached it: the lag from the
 * append's commit (recorded_at, the append statement's time) to the read-model write.
 */
const lagProbe: Projection = defineProjection({
  name: 'bench_lag',
  partitions: 4, // like orders_view: streams spread over four runners
  events: orderEventTypes,
  // the whole batch in one statement, as the sample read models write theirs
  handleBatch: async (events, tx: Knex.Transaction) => {
    await tx.raw(
      `insert into bench_lag (event_id, recorded_at, projected_at)
       select e.id, e.at, clock_timestamp()
       from unnest(?::uuid[], ?::timestamptz[]) as e(id, at)
       on conflict do nothing`,
      [events.map((event) => event.eventId), events.map((event) => event.recordedAt)],
    );
  },
  reset: async (tx) => {
    await tx.raw('truncate bench_lag');
  },
});

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/**
 * Live lag under the command benchmark's load: a projection worker runs the sample read models
 * plus the probe while `concurrency` callers send commands; lag = read-model write minus append
 * time. Everything (callers, command worker, projection worker) shares this one process.
 */
const lagRun = async (operations: number, concurrency: number) => {
  let lags: number[] = [];
  const load = await commandThroughput(operations, concurrency, async (config) => {
    const orm = await createOrm(config.databaseUrl, { poolSize: 1 });
    const db = orm.em.getKnex();
    await db.raw(
      'create table bench_lag (event_id uuid primary key, recorded_at timestamptz not null, projected_at timestamptz not null)',
    );
    const worker = await runProjectionWorker({
      aggregates,
      config,
      projections: [...projections, lagProbe],
      settings: {
        workerId: 'bench',
        batchSize: 200,
        pollIntervalMs: 1_000,
        leaseTtlMs: 10_000,
        maxAttempts: 3,
        backoffInitialMs: 100,
        backoffMaxMs: 1_000,
      },
    });
    return async () => {
      // let the projection drain what the load appended, then read the lags
      for (let i = 0; i < 100; i++) {
        const [pending] = (
          await db.raw<{ rows: { n: string }[] }>(
            'select (select count(*) from es_events) - (select count(*) from bench_lag) as n',
          )
        ).rows;
        if (Number(pending?.n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const rows = await db.raw<{ rows: { ms: number }[] }>(
        'select extract(epoch from (projected_at - recorded_at)) * 1000 as ms from bench_lag',
      );
      lags = rows.rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
      await worker.stop();
      await orm.close(true);
    };
  });
  const round = (ms: number) => Number(ms.toFixed(1));
  return {
    shards: BENCH_SHARDS,
    commandsPerSecond: load.perSecond,
    eventsProjected: lags.length,
    lagP50Ms: round(percentile(lags, 50)),
    lagP99Ms: round(percentile(lags, 99)),
    lagMaxMs: round(lags.at(-1) ?? Number.NaN),
  };
};

/**
 * `runs` lag runs in a row; the figures are the run with the median p99 (one run's figures, not a
 * mix), beside every run's p50 and p99: on two shared cores one run's p99 moved by a third between
 * runs a minute apart.
 */
export const projectionLag = async (operations: number, concurrency = 16, runs = RUNS) => {
  const all: Awaited<ReturnType<typeof lagRun>>[] = [];
  for (let run = 0; run < runs; run++) all.push(await lagRun(operations, concurrency));
  const median = [...all].sort((a, b) => a.lagP99Ms - b.lagP99Ms)[Math.floor(all.length / 2)];
  if (!median) throw new Error('no lag run');
  return {
    ...median,
    runs: all.map((one) => ({
      p50Ms: one.lagP50Ms,
      p99Ms: one.lagP99Ms,
      commandsPerSecond: one.commandsPerSecond,
    })),
  };
};
