import { AssertionError } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';

/** Values as the event store and snapshots keep them: JSON (undefined keys dropped, dates as strings). */
export const asStored = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/**
 * Throws an AssertionError carrying `actual` and `expected`, which test runners (vitest, node:test)
 * render as a diff. Independent of any runner, so 'chronicle-runtime/testing' needs none installed.
 */
export const assertEqual = (actual: unknown, expected: unknown, message: string): void => {
  if (isDeepStrictEqual(actual, expected)) return;
  throw new AssertionError({ message, actual, expected, operator: 'specFor' });
};

/** Fails a spec; with `actual` and `expected` when a diff helps. */
export const fail = (message: string, ...diff: [actual: unknown, expected: unknown] | []): never => {
  throw new AssertionError({ message, actual: diff[0], expected: diff[1], operator: 'specFor' });
};
