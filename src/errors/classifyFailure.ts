import { isChronicleError } from './chronicleError.js';

/**
 * What retrying can do about a failure, decided here and nowhere else:
 *   - `transient`: the infrastructure, not the work, failed (connection lost or refused, the
 *     database shutting down or starting, too many connections, serialization failure, deadlock,
 *     lock or statement timeout, a prepared statement lost to a pooler, a concurrency conflict
 *     still unresolved). Retried in place, for as long as it takes: an outage is waited out, never
 *     dead-lettered.
 *   - `permanent`: anything else. A bug in decide or a handler, a value PostgreSQL refuses (NUL in
 *     text, a number out of range), a constraint: the same work fails the same way again, so it is
 *     dead-lettered on its first attempt.
 */
export type FailureClass = 'transient' | 'permanent';

const transientChronicleCodes = new Set(['TRANSIENT', 'CONCURRENCY', 'TIMEOUT']);
// SQLSTATE: 08 connection, 53 insufficient resources, 57P0x shutdown / cannot connect now,
// 57014 statement timeout, 40001 serialization, 40P01 deadlock, 55P03 lock not available,
// 26000 / 42P05 a prepared statement the server connection does not have, or has already from
// another client (a pooler in transaction mode moved the session; the retry may land elsewhere)
const transientSqlState = /^(08|53|57P0[1-3]|57014|40001|40P01|55P03|26000|42P05)/;
const transientNodeCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const transientMessage =
  /Connection terminated|Knex: Timeout acquiring a connection|Connection is closed|not queryable|connection error|ECONNREFUSED/;

/** Walks the error and its causes: a wrapped connection error is still a connection error. */
export const classifyFailure = (error: unknown): FailureClass => {
  const seen = new Set<unknown>();
  for (let current = error; current && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    if (isChronicleError(current) && transientChronicleCodes.has(current.code)) return 'transient';
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (transientSqlState.test(code) || transientNodeCodes.has(code)))
      return 'transient';
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && transientMessage.test(message)) return 'transient';
  }
  return 'permanent';
};

export const isTransientError = (error: unknown): boolean => classifyFailure(error) === 'transient';
