import { aggregates, processManagers } from '../actors/index.js';
import { CommandWorker, createCommandClient } from '../src/commands/index.js';
import type { ChronicleConfig } from '../src/config/index.js';
import { createOrm } from '../src/db/index.js';
import { query } from '../src/eventStore/index.js';
import { silentLogger as silent } from '../src/logging/index.js';
import { runProcessManagerWorker } from '../src/processManagers/index.js';
import { listenForEvents, Wakeup } from '../src/subscriptions/index.js';
import { benchEnvironment, REDIS_URL } from './benchEnvironment.js';
import { BENCH_SHARDS, benchOrderPayload as payload } from './commandThroughput.js';
import { measureLoad, percentile, ratio } from './stats.js';

/**
 * The order-payment saga end to end, in one process: command worker, process-manager worker,
 * client. One operation = PlaceOrder (accepted) → the process manager requests payment X → the
 * provider (this bench) authorizes and captures at once → the process manager confirms order X;
 * timed from PlaceOrder accepted to OrderPaid stored. Beside it, the same run's single-command
 * latency (PlaceOrder with wait) on a database and queues of its own with no process manager:
 * on the saga's, each of those orders started a saga too, whose commands ran inside the
 * single-command figures and whose backlog (two inputs per order) was still being handled when
 * the sagas were timed (p99 at 16 callers: 6.8 s with it). The bench sees a new event as the
 * workers do, by LISTEN on chronicle_events (one query per notification per waiting saga), not by
 * polling: 16 callers polling every 2 ms were ~8,000 queries a second on the database measured.
 */
export const sagaLatency = async (operations: number) => {
  const env = await benchEnvironment('saga');
  const singleEnv = await benchEnvironment('saga_single');
  const configOf = (where: { databaseUrl: string; queuePrefix: string }): ChronicleConfig => ({
    databaseUrl: where.databaseUrl,
    redisUrl: REDIS_URL,
    shards: BENCH_SHARDS,
    queuePrefix: where.queuePrefix,
    commandLockMs: 15_000,
  });
  const config = configOf(env);
  const singleConfig = configOf(singleEnv);
  const singleWorker = await CommandWorker.start({ config: singleConfig, aggregates, logger: silent });
  const singleClient = createCommandClient(singleConfig);
  const worker = await CommandWorker.start({ config, aggregates, logger: silent });
  const pm = await runProcessManagerWorker({ aggregates, config, processManagers, logger: silent });
  const client = createCommandClient(config);
  const orm = await createOrm(config.databaseUrl);
  const knex = orm.em.getKnex();
  const notifications = await listenForEvents(config.databaseUrl, silent);
  const wakeup = new Wakeup();
  notifications.onEvents(() => wakeup.notify());
  const until = async (streamType: string, id: string, type: string) => {
    for (;;) {
      // the generation before the query: a notification during it is not lost
      const seen = wakeup.generation;
      const [row] = await query(
        knex,
        'select 1 from es_events where stream_type = ? and stream_id = ? and type = ?',
        [streamType, id, type],
      );
      if (row) return;
      await wakeup.wait(seen, 100, new AbortController().signal);
    }
  };
  let run = 0;
  const sendWith =
    (through: typeof client) =>
    async (aggregateType: string, aggregateId: string, type: string, body: object = {}) => {
      const result = await through.send({ aggregateType, aggregateId, type, payload: body }, { wait: true });
      if (result.status !== 'accepted') throw new Error(`${type}: ${result.code} ${result.message}`);
    };
  const send = sendWith(client);
  const sendSingle = sendWith(singleClient);
  try {
    const figures: Record<string, unknown> = {};
    for (const concurrency of [1, 16]) {
      const prefix = `r${run++}`;
      const single = await measureLoad(operations, concurrency, (i) =>
        sendSingle('order', `${prefix}-single-${i}`, 'PlaceOrder', payload),
      );
      // measureLoad times each whole operation; the saga's own latency starts once PlaceOrder is accepted
      const sagaMs: number[] = [];
      const load = await measureLoad(operations, concurrency, async (i) => {
        const id = `${prefix}-saga-${i}`;
        await send('order', id, 'PlaceOrder', payload);
        const started = performance.now();
        await until('payment', id, 'PaymentRequested');
        await send('payment', id, 'AuthorizePayment', { authorizationCode: 'A' });
        await send('payment', id, 'CapturePayment');
        await until('order', id, 'OrderPaid');
        sagaMs.push(performance.now() - started);
      });
      sagaMs.sort((a, b) => a - b);
      const saga = {
        sagas: operations,
        concurrency,
        perSecond: load.perSecond,
        p50Ms: Number(percentile(sagaMs, 50).toFixed(2)),
        p99Ms: Number(percentile(sagaMs, 99).toFixed(2)),
      };
      figures[`concurrency${concurrency}`] = {
        saga,
        singleCommand: single,
        sagaP50VsSingleCommand: ratio(saga.p50Ms, single.p50Ms),
        sagaP99VsSingleCommand: ratio(saga.p99Ms, single.p99Ms),
      };
    }
    return figures;
  } finally {
    await notifications.close();
    await client.close();
    await pm.stop();
    await worker.stop();
    await singleClient.close();
    await singleWorker.stop();
    await orm.close(true);
    await env.drop();
    await singleEnv.drop();
  }
};
