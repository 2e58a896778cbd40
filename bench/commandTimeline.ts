/**
 * Where one caller's command spends its time: the command loop at one caller, timed at the worker's
 * pick-up (the actor host's handle), around the append, and at the caller's answer, in blocks of 20
 * taken in turn with the BullMQ no-op loop and the one-row INSERT transaction in the same process,
 * so a noisy spell hits all three alike. Latencies are medians (and p90) over every block.
 */
import type { EventStore } from '../src/eventStore/index.js';
import { startInsertLoop, startNoopLoop } from './baselines.js';
import { BENCH_SHARDS, startCommandLoop } from './commandThroughput.js';
import { percentile, ratio } from './stats.js';

/** The moments of one command, in ms from its send. */
type Moments = { picked?: number; appendSent?: number; appendDone?: number; handled?: number };

/** A command's steps: from the moment before to the moment named. */
const steps = [
  ['sentToPicked', 'send → picked up by its shard worker (client, add, BullMQ fetch)'],
  ['pickedToAppend', 'picked up → append sent (cache, decide)'],
  ['append', 'append sent → committed (one statement, its own transaction)'],
  ['appendToHandled', 'committed → handled (result, metrics)'],
  ['handledToAnswered', 'handled → answer heard (moveToFinished, reply)'],
] as const;
type Step = (typeof steps)[number][0];

const round = (value: number) => Number(value.toFixed(2));
const summary = (sortedMs: number[]) => ({
  p50Ms: round(percentile(sortedMs, 50)),
  p90Ms: round(percentile(sortedMs, 90)),
  p99Ms: round(percentile(sortedMs, 99)),
});

export const commandTimeline = async (blocks = 50, blockSize = 20) => {
  let current: Moments | undefined;
  let started = 0;
  const at = (moment: keyof Moments) => {
    if (current) current[moment] = performance.now() - started;
  };
  const timedAppend = (store: EventStore): EventStore => ({
    ...store,
    append: async (request) => {
      at('appendSent');
      const outcome = await store.append(request);
      at('appendDone');
      return outcome;
    },
  });
  const commands = await startCommandLoop(1, { decorateStore: timedAppend });
  const host = commands.worker.host;
  const handle = host.handle.bind(host);
  host.handle = async (envelope) => {
    at('picked');
    const result = await handle(envelope);
    at('handled');
    return result;
  };
  const noop = await startNoopLoop(BENCH_SHARDS);
  const insert = await startInsertLoop(1);
  const totals = { chronicle: [] as number[], noop: [] as number[], insert: [] as number[] };
  const split: Record<Step, number[]> = {
    sentToPicked: [],
    pickedToAppend: [],
    append: [],
    appendToHandled: [],
    handledToAnswered: [],
  };
  try {
    let index = 0;
    const timed = async (into: number[], op: (index: number) => Promise<void>) => {
      for (let i = 0; i < blockSize; i++) {
        started = performance.now();
        await op(index++);
        into.push(performance.now() - started);
      }
    };
    for (let block = -1; block < blocks; block++) {
      // block -1 warms every loop up and is not counted
      const sink = block < 0 ? { chronicle: [], noop: [], insert: [] } : totals;
      for (let i = 0; i < blockSize; i++) {
        const moments: Moments = {};
        current = moments;
        started = performance.now();
        await commands.op(index++);
        const answered = performance.now() - started;
        current = undefined;
        sink.chronicle.push(answered);
        const { picked, appendSent, appendDone, handled } = moments;
        if (block < 0 || !picked || !appendSent || !appendDone || !handled) continue;
        split.sentToPicked.push(picked);
        split.pickedToAppend.push(appendSent - picked);
        split.append.push(appendDone - appendSent);
        split.appendToHandled.push(handled - appendDone);
        split.handledToAnswered.push(answered - handled);
      }
      await timed(sink.noop, noop.op);
      await timed(sink.insert, insert.op);
    }
  } finally {
    await insert.stop();
    await noop.stop();
    await commands.stop();
  }
  for (const samples of [...Object.values(totals), ...Object.values(split)]) samples.sort((a, b) => a - b);
  const chronicle = summary(totals.chronicle);
  const bullmqNoop = summary(totals.noop);
  const insertTransaction = summary(totals.insert);
  return {
    commands: totals.chronicle.length,
    shards: BENCH_SHARDS,
    chronicle,
    baselineBullmqNoop: bullmqNoop,
    baselineInsertTransaction: insertTransaction,
    p50VsBullmqNoop: ratio(chronicle.p50Ms, bullmqNoop.p50Ms),
    p50VsBullmqNoopPlusInsert: ratio(chronicle.p50Ms, bullmqNoop.p50Ms + insertTransaction.p50Ms),
    timeline: Object.fromEntries(
      steps.map(([step, what]) => [step, { what, ...summary(split[step]) }]),
    ) as Record<Step, { what: string; p50Ms: number; p90Ms: number; p99Ms: number }>,
  };
};
