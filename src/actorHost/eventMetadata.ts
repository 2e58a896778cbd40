import type { CommandEnvelope, EventMetadata } from '../messages/index.js';
import { currentTraceContext } from '../tracing/index.js';

/** What every event of a command takes from its envelope: its ids, causation = the command. */
export const envelopeMetadata = (envelope: CommandEnvelope): EventMetadata => ({
  commandId: envelope.commandId,
  correlationId: envelope.correlationId,
  causationId: envelope.commandId,
  issuedAt: envelope.issuedAt,
  ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
});

/** Events carry their command's ids and the appending span's context. */
export const eventMetadata = (envelope: CommandEnvelope): EventMetadata => ({
  ...envelopeMetadata(envelope),
  ...currentTraceContext(),
});
