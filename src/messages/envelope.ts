import type { Command, CommandEnvelope, CommandRecord } from './command.js';
import { commandFingerprint } from './commandFingerprint.js';
import type { EventMetadata } from './event.js';

/*
 * The envelope is the one shape of a command in flight. What each part needs of it is a view
 * (a Pick of its fields), made here and nowhere else: `decide`'s command, the ledger's record and
 * the metadata of the events it causes.
 */

/** When and by whom it was issued (`issuedBy` only when known). */
const issued = (envelope: CommandEnvelope) => ({
  issuedAt: envelope.issuedAt,
  ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
});

/** The command as `decide` sees it: `data` is the payload its schema parsed. */
export const commandOf = <Data>(envelope: CommandEnvelope, data: Data): Command<string, Data> => {
  const { commandId, aggregateId, correlationId, causationId } = envelope;
  return {
    type: envelope.type,
    data,
    metadata: { commandId, aggregateId, correlationId, causationId, ...issued(envelope) },
  };
};

/** What every event of a command takes from its envelope: its ids, causation = the command. */
export const eventMetadataOf = (envelope: CommandEnvelope): EventMetadata => ({
  commandId: envelope.commandId,
  correlationId: envelope.correlationId,
  causationId: envelope.commandId,
  ...issued(envelope),
});

/** What the command ledger keeps of an envelope: ids, causation, issuer, fingerprint and payload. */
export const commandRecordOf = (envelope: CommandEnvelope): CommandRecord => {
  const { commandId, type, correlationId, causationId } = envelope;
  return {
    commandId,
    type,
    correlationId,
    causationId,
    ...issued(envelope),
    fingerprint: commandFingerprint(envelope),
    payload: envelope.payload ?? {},
  };
};
