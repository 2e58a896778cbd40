import type { CommandEnvelope, EventMetadata } from '../messages/index.js';
import { currentTraceContext } from '../tracing/index.js';

/** Events carry their command's ids (causation = the command) and the appending span's context. */
export const eventMetadata = (envelope: CommandEnvelope): EventMetadata => ({
  commandId: envelope.commandId,
  correlationId: envelope.correlationId,
  causationId: envelope.commandId,
  issuedAt: envelope.issuedAt,
  ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
  ...currentTraceContext(),
});
