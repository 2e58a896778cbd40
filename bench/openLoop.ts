/**
 * Open loop: commands offered at a fixed rate whether or not earlier ones were answered, as
 * independent users send them, latency taken from when each was due (so a stall counts against
 * every command it delays). A command-worker pod in a process of its own, on a private Redis.
 */
import { loadAverage, startBenchRedis, startDeployment } from './scaleOut.js';
import { percentile, ratio } from './stats.js';

type OpenLoopFigures = {
  readonly offeredPerSecond: number;
  readonly seconds: number;
  readonly sent: number;
  readonly completed: number;
  /** False when the backlog passed two seconds of offered load and the offering stopped. */
  readonly sustained: boolean;
  readonly completedPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly loadAverage: number;
};

const round = (value: number) => Number(value.toFixed(2));

/**
 * Offers `rate` commands a second for `seconds` (round robin over the orders, so each order's
 * commands are sent in history order), stopping early once more than two seconds of offered load
 * wait for an answer: past that the machine does not sustain the rate.
 */
const offer = async (
  send: (order: number) => Promise<void>,
  orders: number,
  rate: number,
  seconds: number,
): Promise<OpenLoopFigures> => {
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let sent = 0;
  let sustained = true;
  while (sent < total) {
    const due = started + (sent * 1000) / rate;
    const wait = due - performance.now();
    // always yield, even when a command is already due: sends go out (and answers come in) only
    // when this loop lets the event loop run (at 1,000/s every wait is under a millisecond, and a
    // loop that never yielded sent nothing for two seconds, then all 2,000 at once)
    await new Promise((resolve) => (wait >= 1 ? setTimeout(resolve, wait) : setImmediate(resolve)));
    if (pending.size > rate * 2) {
      sustained = false;
      break;
    }
    // every command due by now goes out, each timed from when it was due
    while (sent < total && started + (sent * 1000) / rate <= performance.now()) {
      const dueAt = started + (sent * 1000) / rate;
      const done: Promise<void> = send(sent % orders).then(() => {
        latencies.push(performance.now() - dueAt);
        pending.delete(done);
      });
      pending.add(done);
      sent++;
    }
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    offeredPerSecond: rate,
    seconds: round(elapsed),
    sent,
    completed: latencies.length,
    sustained,
    completedPerSecond: round(latencies.length / elapsed),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    loadAverage: loadAverage(),
  };
};

/**
 * 1,000 commands/s offered for `seconds`, then the rate this machine sustains: half the
 * closed-loop throughput of 16 callers measured on the same deployment just before.
 */
export const openLoop = async (shards: number, seconds = 20, rate = 1_000) => {
  const redis = await startBenchRedis('single');
  const orders = 256;
  try {
    const deployment = await startDeployment(redis, shards, orders);
    try {
      await deployment.grow(1);
      const closed = await deployment.closedLoad(2_000, 16);
      const target = await offer(deployment.next, orders, rate, seconds);
      const sustainable = Math.max(1, Math.round(closed.perSecond / 2));
      const half = await offer(deployment.next, orders, sustainable, seconds);
      return {
        shards,
        pods: 1,
        closedLoopSixteenCallers: closed,
        offeredTarget: target,
        offeredHalfCapacity: half,
        halfCapacityP99VsClosedLoopP50: ratio(half.p99Ms, closed.p50Ms),
      };
    } finally {
      await deployment.stop();
    }
  } finally {
    await redis.stop();
  }
};
