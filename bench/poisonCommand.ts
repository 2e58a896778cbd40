import { Queue } from 'bullmq';
import { orderCommands, orderEventSchemas, orderMachine } from '../actors/order/index.js';
import { commandFor, defineAggregate } from '../src/aggregate/index.js';
import {
  CommandWorker,
  createCommandClient,
  shardQueueName,
  shardQueueOptions,
} from '../src/commands/index.js';
import type { ChronicleConfig } from '../src/config/index.js';
import { openRedis } from '../src/services/index.js';
import { benchEnvironment, REDIS_URL } from './benchEnvironment.js';
import { benchHistoryCommand, benchPlaceOrder } from './commandThroughput.js';
import { type LoadFigures, measureLoad, percentile, pickMedian, ratio } from './stats.js';

/** A bug in decide: FailPayment with the reason "poison" throws, every time it is tried. */
const POISON = 'poison';
const faultyOrder = defineAggregate({
  type: 'order',
  machine: orderMachine,
  commands: {
    ...orderCommands,
    FailPayment: commandFor<typeof orderMachine>()(orderCommands.FailPayment.schema, (command, state) => {
      if (command.data.reason === POISON) throw new TypeError('a bug in decide');
      return orderCommands.FailPayment.decide(command, state);
    }),
  },
  events: orderEventSchemas,
});

const median = (sorted: readonly number[]) => sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
const round2 = (value: number) => Number(value.toFixed(2));

/**
 * What a poison command (one that fails the same way on every attempt) costs the other aggregates
 * of its shard. One shard, so every command shares its queue: `callers` drive healthy orders, and
 * in every other round a poison command is also sent every `poisonEveryMs` (rounds interleaved,
 * medians of `runs`, so a noisy spell hits both alike). The direct figure is how long the shard is
 * held by each poison command (its job's start to its failure, from BullMQ's own timestamps): that
 * is the delay it adds to every command queued behind it. A poison command is dead-lettered on its
 * first attempt (classifyFailure), so it holds the shard for one failed attempt, not for retries.
 */
export const poisonCommand = async (operations: number, runs: number, callers = 4, poisonEveryMs = 100) => {
  const env = await benchEnvironment('poison');
  const config: ChronicleConfig = {
    databaseUrl: env.databaseUrl,
    redisUrl: REDIS_URL,
    shards: 1,
    queuePrefix: env.queuePrefix,
    commandLockMs: 15_000,
  };
  const worker = await CommandWorker.start({
    config,
    aggregates: [faultyOrder],
    logger: { info() {}, warn() {}, error() {} },
  });
  const client = createCommandClient(config);
  const connection = openRedis(config, { maxRetriesPerRequest: null });
  const shardQueue = new Queue(shardQueueName(0), shardQueueOptions(connection, config.queuePrefix, 0));
  const orders = callers * 4;
  let round = 0;
  const healthyLoad = async (): Promise<LoadFigures> => {
    round++;
    const sent = new Array<number>(orders).fill(0);
    for (let o = 0; o < orders; o++) await client.send(benchPlaceOrder(`r${round}-${o}`), { wait: true });
    return measureLoad(operations, callers, async (index) => {
      const order = index % orders;
      const n = (sent[order] ?? 0) + 1;
      sent[order] = n;
      const result = await client.send(benchHistoryCommand(`r${round}-${order}`, n), { wait: true });
      if (result.status !== 'accepted') throw new Error(`bench command rejected: ${result.code}`);
    });
  };
  // how long each poison command held the shard, and how long its sender waited for the failure
  const heldMs: number[] = [];
  const answeredMs: number[] = [];
  let poisonSent = 0;
  const poisonedLoad = async (): Promise<LoadFigures> => {
    let poisoning = true;
    const sender = (async () => {
      while (poisoning) {
        const id = `poisoned-${poisonSent++}`;
        await client.send(benchPlaceOrder(id), { wait: true });
        await client.send(benchHistoryCommand(id, 1), { wait: true });
        const commandId = `${id}-poison`;
        const t0 = performance.now();
        const failure = await client
          .send(
            {
              aggregateType: 'order',
              aggregateId: id,
              type: 'FailPayment',
              commandId,
              payload: { reason: POISON },
            },
            { wait: true },
          )
          .then(
            () => undefined,
            (error: { code?: string }) => error.code,
          );
        if (failure !== 'COMMAND_FAILED')
          throw new Error(`the poison command was not dead-lettered: ${failure}`);
        answeredMs.push(performance.now() - t0);
        const job = await shardQueue.getJob(commandId);
        if (job?.processedOn && job.finishedOn) heldMs.push(job.finishedOn - job.processedOn);
        await new Promise((resolve) => setTimeout(resolve, poisonEveryMs));
      }
    })();
    try {
      return await healthyLoad();
    } finally {
      poisoning = false;
      await sender;
    }
  };
  try {
    const clean: LoadFigures[] = [];
    const poisoned: LoadFigures[] = [];
    for (let run = 0; run < runs; run++) {
      clean.push(await healthyLoad());
      poisoned.push(await poisonedLoad());
    }
    const without = pickMedian(clean);
    const withPoison = pickMedian(poisoned);
    heldMs.sort((a, b) => a - b);
    answeredMs.sort((a, b) => a - b);
    return {
      shards: 1,
      callers,
      poisonEveryMs,
      withoutPoison: without,
      withPoison,
      poisonCommands: heldMs.length,
      // BullMQ's timestamps are whole milliseconds
      shardHeldByPoisonP50Ms: median(heldMs),
      shardHeldByPoisonP99Ms: percentile(heldMs, 99),
      poisonAnsweredP50Ms: round2(median(answeredMs)),
      addedP99Ms: round2(withPoison.p99Ms - without.p99Ms),
      p99WithVsWithout: ratio(withPoison.p99Ms, without.p99Ms),
    };
  } finally {
    await shardQueue.close();
    await connection.quit();
    await client.close();
    await worker.stop();
    await env.drop();
  }
};
