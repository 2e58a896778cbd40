import { createHash } from 'node:crypto';
import type { CommandEnvelope } from './command.js';

/** JSON with object keys sorted at every level: the same value always prints the same way. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

/**
 * What a command asks, as a hash: its aggregate, its type and its payload. Two sends with one
 * command id are the same command only if their fingerprints match (else COMMAND_ID_REUSED).
 */
export const commandFingerprint = (
  command: Pick<CommandEnvelope, 'aggregateType' | 'aggregateId' | 'type' | 'payload'>,
): string =>
  createHash('sha256')
    .update(canonical([command.aggregateType, command.aggregateId, command.type, command.payload ?? {}]))
    .digest('base64url');
