import { aggregates } from '../actors/index.js';
import { CommandWorker, createCommandClient } from '../src/commands/index.js';
import type { ChronicleConfig } from '../src/config/index.js';
import type { CommandRequest } from '../src/messages/index.js';
import { benchEnvironment, REDIS_URL } from './benchEnvironment.js';
import { type LoadFigures, measureLoad } from './stats.js';

export const BENCH_SHARDS = Number(process.env.BENCH_SHARDS ?? 8);

/** The PlaceOrder payload every command bench sends. */
export const benchOrderPayload = {
  customerId: 'c',
  productId: 'p',
  vendorId: 'v',
  quantity: 1,
  totalPrice: 10,
  paymentMethod: 'CARD',
};

/** Places the order every command bench then drives through its payment history. */
export const benchPlaceOrder = (aggregateId: string): CommandRequest => ({
  aggregateType: 'order',
  aggregateId,
  type: 'PlaceOrder',
  payload: benchOrderPayload,
});

/** The n-th command (n ≥ 1) of an order's long payment history: start, fail, start, … */
export const benchHistoryCommand = (aggregateId: string, n: number): CommandRequest =>
  n % 2 === 1
    ? { aggregateType: 'order', aggregateId, type: 'InitiatePayment' }
    : { aggregateType: 'order', aggregateId, type: 'FailPayment', payload: { reason: `#${n}` } };

/**
 * End to end: client -> BullMQ -> actor -> PostgreSQL -> result, with the worker in this process.
 * Each caller drives its own orders through a long payment history (start, fail, start, ...), so
 * every command is a real decide + append on a live actor.
 */
export const commandThroughput = async (
  operations: number,
  concurrency: number,
  /** Starts more consumers beside the command worker (e.g. a projection worker); returns their stop. */
  alongside?: (config: ChronicleConfig) => Promise<() => Promise<void>>,
  /** Called once the orders are placed, right before the measured load (and once more after it). */
  mark?: () => Promise<void>,
  redisUrl = REDIS_URL,
  shards = BENCH_SHARDS,
): Promise<LoadFigures> => {
  const env = await benchEnvironment('commands');
  const config: ChronicleConfig = {
    databaseUrl: env.databaseUrl,
    redisUrl,
    shards,
    queuePrefix: env.queuePrefix,
    commandLockMs: 15_000,
  };
  const worker = await CommandWorker.start({
    config,
    aggregates,
    logger: { info() {}, warn() {}, error() {} },
  });
  const client = createCommandClient(config);
  const stopAlongside = alongside ? await alongside(config) : async () => {};
  const orders = concurrency * 4;
  const sent = new Array<number>(orders).fill(0);
  try {
    for (let o = 0; o < orders; o++) {
      await client.send(benchPlaceOrder(`bench-${o}`), { wait: true });
    }
    await mark?.();
    const figures = await measureLoad(operations, concurrency, async (index) => {
      // sends of one order are enqueued in call order and run in that order, so the history stays valid
      const order = index % orders;
      const n = (sent[order] ?? 0) + 1;
      sent[order] = n;
      const result = await client.send(benchHistoryCommand(`bench-${order}`, n), { wait: true });
      if (result.status !== 'accepted')
        throw new Error(`bench command rejected: ${result.code} ${result.message}`);
    });
    await mark?.();
    return figures;
  } finally {
    await stopAlongside();
    await client.close();
    await worker.stop();
    await env.drop();
  }
};
