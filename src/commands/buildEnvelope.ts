import { type CommandEnvelope, type CommandRequest, timeOrderedId } from '../messages/index.js';
import { currentTraceContext } from '../tracing/index.js';

/**
 * Fills in what the sender left out: a uuid v7 command id (timeOrderedId), correlation and causation (from the
 * event that caused the command when `causedBy` is given, else the command itself), the time,
 * and the active W3C trace context.
 */
export const buildEnvelope = (request: CommandRequest, now: Date = new Date()): CommandEnvelope => {
  const commandId = request.commandId ?? timeOrderedId();
  return {
    commandId,
    aggregateType: request.aggregateType,
    aggregateId: request.aggregateId,
    type: request.type,
    // only a missing payload means none: null is a payload, and its schema judges it
    payload: request.payload === undefined ? {} : request.payload,
    correlationId: request.correlationId ?? request.causedBy?.metadata.correlationId ?? commandId,
    causationId: request.causationId ?? request.causedBy?.eventId ?? commandId,
    issuedAt: now.toISOString(),
    ...(request.issuedBy ? { issuedBy: request.issuedBy } : {}),
    ...(request.answerTo ? { answerTo: request.answerTo } : {}),
    ...currentTraceContext(),
  };
};
