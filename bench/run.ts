/**
 * `npm run bench`: every benchmark, each beside a raw baseline measured in the same run, so the
 * figures read as ratios (the machines are shared and noisy). Results: bench/results/*.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { DEFAULT_SHARDS } from '../src/config/index.js';
import { actorHostDirect } from './actorHostDirect.js';
import { bullmqBaseline, insertBaseline } from './baselines.js';
import { BENCH_SHARDS, commandThroughput } from './commandThroughput.js';
import { emmettCommands } from './emmettPeer.js';
import { hydrationBench, memoryPerActor, processHydrationBench } from './hydration.js';
import { type LoadFigures, pickMedian, ratio, roundRatios } from './stats.js';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);
const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
const save = (name: string, figures: unknown) => {
  // the machine's 1, 5 and 15 minute load averages when the part ended: the figures' context
  const loadAverage = loadavg().map((value) => Number(value.toFixed(2)));
  const body = { name, measuredAt: new Date().toISOString(), node: process.version, loadAverage, figures };
  writeFileSync(new URL(`${name}.json`, resultsDir), `${JSON.stringify(body, null, 2)}\n`);
  console.log(`\n${name}\n${JSON.stringify(figures, null, 2)}`);
};

const OPS = Number(process.env.BENCH_OPS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

if (wanted('commands')) {
  const figures: Record<string, unknown> = {};
  for (const concurrency of [1, 16]) {
    // medians of RUNS rounds, each kind once per round, so a noisy spell hits every kind alike
    const rounds: Record<'insert' | 'bullmq' | 'emmett' | 'hostInProcess' | 'chronicle', LoadFigures[]> = {
      insert: [],
      bullmq: [],
      emmett: [],
      hostInProcess: [],
      chronicle: [],
    };
    for (let round = 0; round < RUNS; round++) {
      rounds.insert.push(await insertBaseline(OPS, concurrency));
      rounds.bullmq.push(await bullmqBaseline(OPS, concurrency, BENCH_SHARDS));
      // Chronicle between its two yardsticks, so each round's ratios pair runs taken seconds apart
      rounds.chronicle.push(await commandThroughput(OPS, concurrency));
      rounds.emmett.push(await emmettCommands(OPS, concurrency));
      rounds.hostInProcess.push(await actorHostDirect(OPS, concurrency));
    }
    const insert = pickMedian(rounds.insert);
    const bullmq = pickMedian(rounds.bullmq);
    const emmett = pickMedian(rounds.emmett);
    const hostInProcess = pickMedian(rounds.hostInProcess);
    const chronicle = pickMedian(rounds.chronicle);
    figures[`concurrency${concurrency}`] = {
      chronicle,
      peerEmmettCommandHandler: emmett,
      baselineActorHostInProcess: hostInProcess,
      baselineInsertTransaction: insert,
      baselineBullmqNoop: bullmq,
      throughputVsEmmett: ratio(chronicle.perSecond, emmett.perSecond),
      throughputVsBullmqNoop: ratio(chronicle.perSecond, bullmq.perSecond),
      // the same ratios taken within each round (a spell of load shifts a whole round's rates)
      perRound: {
        throughputVsEmmett: roundRatios(rounds.chronicle, rounds.emmett),
        throughputVsBullmqNoop: roundRatios(rounds.chronicle, rounds.bullmq),
      },
      throughputVsInsert: ratio(chronicle.perSecond, insert.perSecond),
      // the same decide and append with no queue hop: what the hop costs, and the actor host against Emmett
      throughputVsActorHostInProcess: ratio(chronicle.perSecond, hostInProcess.perSecond),
      actorHostInProcessVsEmmett: ratio(hostInProcess.perSecond, emmett.perSecond),
      p50VsBullmqNoop: ratio(chronicle.p50Ms, bullmq.p50Ms),
      p50VsEmmett: ratio(chronicle.p50Ms, emmett.p50Ms),
      // the process running callers, client and worker is where a command's CPU goes (Emmett's goes
      // to PostgreSQL as much): CPU per command of that one process, against the peer's and the no-op's
      processCpuVsEmmett: ratio(
        chronicle.processCpuMsPerOp ?? Number.NaN,
        emmett.processCpuMsPerOp ?? Number.NaN,
      ),
      processCpuVsBullmqNoop: ratio(
        chronicle.processCpuMsPerOp ?? Number.NaN,
        bullmq.processCpuMsPerOp ?? Number.NaN,
      ),
    };
  }
  const { redisCost } = await import('./redisCost.js');
  figures.redisPerCommand = await redisCost(Math.min(OPS, 1000), 16, BENCH_SHARDS);
  save('commands', figures);
}

// one caller's command, step by step, beside the no-op loop and the INSERT in the same process
if (wanted('latency')) save('latency', await (await import('./commandTimeline.js')).commandTimeline());

if (wanted('payloads')) {
  const { commandPayloadBench } = await import('./commandPayloads.js');
  save('payloads', await commandPayloadBench());
}

if (wanted('upcast')) {
  const { upcastBench } = await import('./upcast.js');
  save('upcast', await upcastBench());
}

if (wanted('personal-data')) {
  const { personalDataBench } = await import('./personalData.js');
  save('personal-data', await personalDataBench());
}

if (wanted('hydration')) {
  save('hydration', {
    ...(await hydrationBench(10_000, RUNS)),
    memory: memoryPerActor(),
    processManagerInstance: await processHydrationBench(),
  });
}

if (wanted('projections')) {
  const { benchProjections } = await import('./projections.js');
  const { projectionLag } = await import('./projectionLag.js');
  save('projections', {
    catchUp: await benchProjections(),
    liveLagOneCaller: await projectionLag(Math.min(OPS, 300), 1),
    liveLagSixteenCallers: await projectionLag(OPS, 16),
  });
}

if (wanted('nats')) save('nats', await (await import('./natsPublish.js')).benchNatsPublish(OPS));

if (wanted('saga')) save('saga', await (await import('./sagaLatency.js')).sagaLatency(Math.min(OPS, 200)));

// command-worker pods as processes, on a Redis of the bench's own (bench/scaleOut.ts)
if (wanted('scaleout'))
  save('scaleOut', await (await import('./scaleOut.js')).scaleOut(Math.min(OPS, 1500), 64, RUNS));

if (wanted('cluster'))
  save(
    'redisCluster',
    await (await import('./redisCluster.js')).redisClusterBench(Math.min(OPS, 1500), BENCH_SHARDS, RUNS),
  );

if (wanted('openloop'))
  save(
    'openLoop',
    await (await import('./openLoop.js')).openLoop(
      // the deployment default, where commands would run
      DEFAULT_SHARDS,
      Number(process.env.BENCH_OPEN_S ?? 20),
    ),
  );

if (wanted('poison'))
  save('poison', await (await import('./poisonCommand.js')).poisonCommand(Math.min(OPS, 1000), RUNS));

if (wanted('tracing')) {
  const { tracingCost } = await import('./tracingCost.js');
  save('tracing', await tracingCost(OPS, Number(process.env.BENCH_ROUNDS ?? 2)));
}

if (only.includes('sizes')) save('sizes', await (await import('./storeSizes.js')).storeSizes());

// only when named: building the large store (5.2 million events) takes tens of minutes
if (only.includes('scale')) save('scale', await (await import('./scale.js')).scaleBench());

process.exit(0);
