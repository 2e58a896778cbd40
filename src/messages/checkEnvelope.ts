import type { CommandEnvelope } from './command.js';
import { type RejectedResult, rejectedResult } from './commandResult.js';
import { AGGREGATE_ID_PATTERN, AGGREGATE_ID_RULE, isValidId, MAX_PAYLOAD_BYTES } from './envelopeLimits.js';
import { findUnstorableJson } from './findUnstorableJson.js';

/**
 * The checks that need no domain knowledge, done before a command is enqueued and again when it is
 * taken, by every entry (HTTP, the client, the CLI, NATS): ids well formed, every string of the
 * envelope and its payload storable (no NUL, no lone surrogate), the payload JSON under the size
 * and depth limits. What fails here could never be appended, so it must never reach a shard.
 */
export const checkEnvelope = (envelope: CommandEnvelope): RejectedResult | undefined => {
  const problem = (message: string, details?: Record<string, unknown>): RejectedResult =>
    rejectedResult(envelope.commandId, { code: 'VALIDATION', message, ...(details ? { details } : {}) });
  if (!isValidId(envelope.commandId)) {
    return problem('commandId: 1-128 letters, digits, ".", "_", "~" or "-", not all digits');
  }
  if (typeof envelope.aggregateId !== 'string' || !AGGREGATE_ID_PATTERN.test(envelope.aggregateId)) {
    return problem(`aggregateId: ${AGGREGATE_ID_RULE}`);
  }
  if (typeof envelope.aggregateType !== 'string' || envelope.aggregateType.length === 0) {
    return problem('aggregateType: required');
  }
  if (typeof envelope.type !== 'string' || envelope.type.length === 0) return problem('type: required');
  for (const key of ['correlationId', 'causationId'] as const) {
    if (typeof envelope[key] !== 'string' || envelope[key].length > 200)
      return problem(`${key}: up to 200 characters`);
  }
  const unstorable = findUnstorableJson(envelope);
  if (unstorable) return problem(unstorable);
  const size = Buffer.byteLength(JSON.stringify(envelope.payload ?? null));
  if (size > MAX_PAYLOAD_BYTES) {
    return problem(`payload: ${size} bytes exceeds the limit of ${MAX_PAYLOAD_BYTES}`, {
      bytes: size,
      limit: MAX_PAYLOAD_BYTES,
    });
  }
  return undefined;
};
