import { ChronicleError } from '../errors/index.js';

/** What a clock drives: a runtime's deadlines, fired as time passes them. */
export type ClockWatcher = {
  /** When its earliest pending deadline is due (ms since the epoch), if it has one. */
  nextDue(): number | undefined;
  /** Fires every deadline due by now, in order, and runs what they cause to quiescence. */
  fireDue(): Promise<void>;
};

/** Time under a test's control: it moves only when told to. */
export type TestClock = {
  now(): Date;
  /**
   * Moves time forward by `ms`. Deadlines due on the way fire in time order, each at its own
   * time, and what they cause runs to quiescence before the clock moves on.
   */
  advance(ms: number): Promise<void>;
  /** Used by createInMemoryRuntime: the returned function stops watching. */
  watch(watcher: ClockWatcher): () => void;
};

/**
 * A clock for createInMemoryRuntime, starting at `start` (default: the real time now). Share one
 * between runtimes to move them together.
 * @example
 * const clock = createTestClock('2025-01-01T12:00:00Z');
 * const runtime = createInMemoryRuntime({ aggregates, processManagers, clock });
 * await clock.advance(15 * 60_000); // the payment timeout fires, its CancelOrder runs
 */
export const createTestClock = (start: Date | string | number = Date.now()): TestClock => {
  let current = new Date(start).getTime();
  if (Number.isNaN(current))
    throw new ChronicleError('CONFIGURATION', `createTestClock: not a time: ${String(start)}`);
  const watchers = new Set<ClockWatcher>();
  const earliest = () => {
    let found: { watcher: ClockWatcher; at: number } | undefined;
    for (const watcher of watchers) {
      const at = watcher.nextDue();
      if (at !== undefined && (!found || at < found.at)) found = { watcher, at };
    }
    return found;
  };
  return {
    now: () => new Date(current),
    advance: async (ms) => {
      if (!Number.isFinite(ms) || ms < 0)
        throw new ChronicleError('CONFIGURATION', `advance: ${ms} is not a duration`);
      const target = current + ms;
      for (let due = earliest(); due && due.at <= target; due = earliest()) {
        current = Math.max(current, due.at);
        await due.watcher.fireDue();
      }
      current = target;
    },
    watch: (watcher) => {
      watchers.add(watcher);
      return () => {
        watchers.delete(watcher);
      };
    },
  };
};
