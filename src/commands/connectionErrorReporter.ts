import { isTransientError } from '../errors/index.js';
import type { LoggerPort } from '../logging/index.js';
import { type RedisTarget, serviceAddress } from '../services/index.js';

/** Something that emits connection errors and readiness: ioredis clients, BullMQ queues and listeners. */
type ConnectionEmitter = {
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export type ConnectionErrorReporter = {
  /** Listens to `emitter`'s errors: without a listener, ioredis and BullMQ print each one with its stack. */
  watch<T extends ConnectionEmitter>(emitter: T): T;
  /** One error, from wherever it was caught (`where`: fields for the line, if one is written). */
  report(error: unknown, where?: Readonly<Record<string, unknown>>): void;
  /** The service answered again: the next error is news again. */
  recovered(): void;
};

const describe = (error: Error & { code?: string }): string => error.message || error.code || String(error);

/**
 * One line per outage instead of a stack trace per reconnect attempt: the first connection error
 * after a working period is logged as a warning, and none after it (whatever its message: refused,
 * closed, reset alternate, and every connection of every queue and worker reports each attempt)
 * until the reconnection, which is logged once. Any other error (a refused password, a lost job
 * lock) is logged as an error, with its stack, each time its message changes.
 */
export const createConnectionErrorReporter = (
  logger: LoggerPort,
  what: string,
  /** The field the error goes under in each line. */
  service = 'redis',
): ConnectionErrorReporter => {
  let down = false;
  let last: string | undefined;
  const report = (caught: unknown, where: Readonly<Record<string, unknown>> = {}) => {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const message = describe(error);
    const outage = isTransientError(error);
    if (outage ? down : message === last) return;
    last = message;
    const fields = { ...where, [service]: { error: message, code: (error as { code?: string }).code } };
    if (!outage) {
      logger.error({ ...fields, err: error }, `${what}: ${message}`);
      return;
    }
    down = true;
    // a message, not the error: its stack says nothing about an outage
    logger.warn(fields, `${what}: ${message}`);
  };
  return {
    watch: (emitter) => {
      emitter.on('error', (error) => report(error));
      return emitter;
    },
    report,
    recovered: () => {
      if (last === undefined) return;
      down = false;
      last = undefined;
      logger.info({}, `${what}: connected again`);
    },
  };
};

/**
 * `Redis at host:port` (or `Redis Cluster at host:port,…`), as the reporter names it (never the
 * URL: it may hold a password).
 */
export const redisLabel = (target: RedisTarget): string => {
  const nodes = target.redisClusterNodes;
  if (nodes?.length) return `Redis Cluster at ${nodes.map(({ host, port }) => `${host}:${port}`).join(',')}`;
  const { host, port } = serviceAddress('redis', target.redisUrl);
  return `Redis at ${host}:${port}`;
};
