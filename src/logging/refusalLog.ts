import type { LoggerPort } from './loggerPort.js';

export type RefusalLog = {
  /** A refusal of kind `code`: logged if none of that kind was this window, else only counted. */
  refused(code: string, fields: object, message: string): void;
};

/** How often a refusal of one kind is logged at most, by default. */
export const REFUSAL_LOG_WINDOW_MS = 60_000;

/**
 * Refusals (a full pod, a malformed anonymous message) come as fast as anyone sends them: a line
 * with a stack per refusal lets a caller fill the disks. One warning per kind per window, with how
 * many were refused since the last one said; the exact count is a metric's.
 */
export const createRefusalLog = (
  logger: LoggerPort,
  windowMs = REFUSAL_LOG_WINDOW_MS,
  now: () => number = Date.now,
): RefusalLog => {
  const kinds = new Map<string, { loggedAt: number; unlogged: number }>();
  return {
    refused: (code, fields, message) => {
      const kind = kinds.get(code);
      const at = now();
      if (kind && at - kind.loggedAt < windowMs) {
        kind.unlogged += 1;
        return;
      }
      logger.warn({ ...fields, code, ...(kind?.unlogged ? { alsoRefused: kind.unlogged } : {}) }, message);
      kinds.set(code, { loggedAt: at, unlogged: 0 });
    },
  };
};
