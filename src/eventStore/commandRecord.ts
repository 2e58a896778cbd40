import type { CommandEnvelope, RejectedResult } from '../messages/index.js';
import { commandFingerprint } from './commandFingerprint.js';
import type { CommandRecord } from './eventStore.js';

/** What the command ledger keeps of an envelope: ids, causation, issuer, fingerprint and payload. */
export const commandRecord = (envelope: CommandEnvelope): CommandRecord => ({
  commandId: envelope.commandId,
  type: envelope.type,
  correlationId: envelope.correlationId,
  causationId: envelope.causationId,
  issuedAt: envelope.issuedAt,
  ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
  fingerprint: commandFingerprint(envelope),
  payload: envelope.payload ?? {},
});

/** The answer to a command whose id names another command: this one is never run under it. */
export const commandIdReused = (envelope: CommandEnvelope): RejectedResult => ({
  status: 'rejected',
  commandId: envelope.commandId,
  code: 'COMMAND_ID_REUSED',
  message: `command id ${envelope.commandId} was used for another command (another aggregate, type, payload or sender)`,
});

/**
 * A command id means one command: a stored command under this id that asked something else
 * (another aggregate, type or payload) is never answered for this one.
 */
export const reusedCommandId = (
  envelope: CommandEnvelope,
  storedFingerprint: string | undefined,
  /** The envelope's own, when its record already holds it (a hash of the payload saved). */
  fingerprint?: string,
): RejectedResult | undefined =>
  storedFingerprint !== undefined && storedFingerprint !== (fingerprint ?? commandFingerprint(envelope))
    ? commandIdReused(envelope)
    : undefined;
