import { aggregates } from '../actors/index.js';
import { CommandWorker, type CommandWorkerOptions, createCommandClient } from '../src/commands/index.js';
import { type ChronicleConfig, DEFAULT_SHARDS } from '../src/config/index.js';
import type { CommandRequest } from '../src/messages/index.js';
import { benchEnvironment, REDIS_URL } from './benchEnvironment.js';
import { type LoadFigures, measureLoad } from './stats.js';

/** The shard count the benches run on: a new deployment's default unless BENCH_SHARDS says otherwise. */
export const BENCH_SHARDS = Number(process.env.BENCH_SHARDS ?? DEFAULT_SHARDS);

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

/** What the command loop is given beyond its callers: see commandThroughput. */
export type CommandLoopOptions = {
  readonly alongside?: (config: ChronicleConfig) => Promise<() => Promise<void>>;
  readonly redisUrl?: string;
  readonly shards?: number;
  /** Decorates the worker's event store (the timeline bench times the append). */
  readonly decorateStore?: CommandWorkerOptions['decorateStore'];
};

/**
 * A command worker and a client in this process, `concurrency` × 4 orders placed: `op` sends the
 * next command of order index % orders and waits for its answer (sends of one order are enqueued
 * in call order and run in that order, so the history stays valid).
 */
export const startCommandLoop = async (concurrency: number, options: CommandLoopOptions = {}) => {
  const env = await benchEnvironment('commands');
  const config: ChronicleConfig = {
    databaseUrl: env.databaseUrl,
    redisUrl: options.redisUrl ?? REDIS_URL,
    shards: options.shards ?? BENCH_SHARDS,
    queuePrefix: env.queuePrefix,
    commandLockMs: 15_000,
  };
  const worker = await CommandWorker.start({
    config,
    aggregates,
    logger: { info() {}, warn() {}, error() {} },
    ...(options.decorateStore ? { decorateStore: options.decorateStore } : {}),
  });
  const client = createCommandClient(config);
  const stopAlongside = options.alongside ? await options.alongside(config) : async () => {};
  const orders = concurrency * 4;
  const sent = new Array<number>(orders).fill(0);
  const stop = async () => {
    await stopAlongside();
    await client.close();
    await worker.stop();
    await env.drop();
  };
  try {
    for (let o = 0; o < orders; o++) {
      await client.send(benchPlaceOrder(`bench-${o}`), { wait: true });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    worker,
    op: async (index: number) => {
      const order = index % orders;
      const n = (sent[order] ?? 0) + 1;
      sent[order] = n;
      const result = await client.send(benchHistoryCommand(`bench-${order}`, n), { wait: true });
      if (result.status !== 'accepted')
        throw new Error(`bench command rejected: ${result.code} ${result.message}`);
    },
    stop,
  };
};

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
  const loop = await startCommandLoop(concurrency, {
    redisUrl,
    shards,
    ...(alongside ? { alongside } : {}),
  });
  try {
    await mark?.();
    const figures = await measureLoad(operations, concurrency, loop.op);
    await mark?.();
    return figures;
  } finally {
    await loop.stop();
  }
};
