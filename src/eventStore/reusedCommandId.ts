import { type CommandEnvelope, commandFingerprint, type RejectedResult } from '../messages/index.js';

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
