import { isChronicleError } from '../errors/index.js';

/**
 * Database trouble rather than a bad event: connection loss, shutdown, too many connections,
 * serialization failures and deadlocks; and any TransientError (a broker out of reach). Retried
 * without counting towards a partition's attempts, so an outage never stops projections.
 */
export const isTransientError = (error: unknown): boolean => {
  const seen = new Set<unknown>();
  for (let current = error; current && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    if (isChronicleError(current, 'TRANSIENT')) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(08|53|57P0|40001|40P01)/.test(code)) return true;
    if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code))
      return true;
    const message = (current as { message?: unknown }).message;
    if (
      typeof message === 'string' &&
      /Connection terminated|Knex: Timeout acquiring a connection/.test(message)
    )
      return true;
  }
  return false;
};
