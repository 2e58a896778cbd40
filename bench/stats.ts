/** Small statistics for benchmark samples. */
export const percentile = (sortedMs: readonly number[], p: number): number => {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] as number;
};

export type LoadFigures = {
  readonly operations: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * CPU time of this process (user + system, all its threads) per operation, in ms: on a machine
   * where everything shares the cores, what one operation costs the process that runs the callers
   * (and, for the command benchmarks, the client and the worker).
   */
  readonly processCpuMsPerOp?: number;
};

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * Runs `operations` calls of `op` with `concurrency` callers in flight, each caller sequential, and
 * measures throughput and per-call latency.
 */
export const measureLoad = async (
  operations: number,
  concurrency: number,
  op: (index: number) => Promise<unknown>,
): Promise<LoadFigures> => {
  const latencies: number[] = [];
  let next = 0;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < operations) {
        const index = next++;
        const t0 = performance.now();
        await op(index);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  latencies.sort((a, b) => a - b);
  return {
    operations,
    concurrency,
    seconds: round(seconds, 3),
    perSecond: round(operations / seconds, 1),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    processCpuMsPerOp: round((cpu.user + cpu.system) / 1000 / operations, 3),
  };
};

export const ratio = (value: number, baseline: number): number => round(value / baseline, 3);

/**
 * Each round's throughput ratio (value ÷ baseline, runs of one round taken back to back) and their
 * median: steadier than the ratio of the two medians when the machine's load drifts between rounds.
 */
export const roundRatios = (
  values: readonly { readonly perSecond: number }[],
  baselines: readonly { readonly perSecond: number }[],
): { readonly median: number; readonly rounds: number[] } => {
  const rounds = values.map((value, index) =>
    ratio(value.perSecond, baselines[index]?.perSecond ?? Number.NaN),
  );
  const sorted = [...rounds].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, rounds };
};

/** The run with the median `perSecond`, and every run's rate. */
export const pickMedian = <T extends { readonly perSecond: number }>(
  all: readonly T[],
): T & { readonly runs: number[] } => {
  const sorted = [...all].sort((a, b) => a.perSecond - b.perSecond);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (!median) throw new Error('no run to pick from');
  return { ...median, runs: all.map((one) => one.perSecond) };
};

/** Runs `measure` `runs` times in a row and keeps the run with the median `perSecond`. */
export const medianRun = async <T extends { readonly perSecond: number }>(
  runs: number,
  measure: () => Promise<T>,
): Promise<T & { readonly runs: number[] }> => {
  const all: T[] = [];
  for (let run = 0; run < runs; run++) all.push(await measure());
  return pickMedian(all);
};

/**
 * Runs each key's work one at a time in the order it was issued, as a shard queue runs one
 * aggregate's commands: with callers slowed unevenly, two of them could otherwise hold work of one
 * key at once (a FailPayment decided before its InitiatePayment is refused). A failure is the
 * caller's; the key's next work still runs after it.
 */
export const inIssueOrderPerKey = (keys: number) => {
  const previous = new Array<Promise<unknown>>(keys).fill(Promise.resolve());
  return async (key: number, work: () => Promise<unknown>): Promise<void> => {
    const before = previous[key];
    const mine = (async () => {
      await before;
      await work();
    })();
    previous[key] = mine.catch(() => {});
    await mine;
  };
};
