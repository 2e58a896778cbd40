import type { Command, CommandEnvelope, CommandRecord } from './command.js';
import { commandFingerprint } from './commandFingerprint.js';
import type { EventMetadata } from './event.js';

/*
 * The envelope is the one shape of a command in flight. What each part needs of it is a view
 * (a Pick of its fields), made here and nowhere else: `decide`'s command, the ledger's record and
 * the metadata of the events it causes.
 */

/** The command as `decide` sees it: `data` is the payload its schema parsed. */
export const commandOf = <Data>(envelope: CommandEnvelope, data: Data): Command<string, Data> => ({
  type: envelope.type,
  data,
  metadata: {
    commandId: envelope.commandId,
    aggregateId: envelope.aggregateId,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    issuedAt: envelope.issuedAt,
    ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
  },
});

/** What every event of a command takes from its envelope: its ids, causation = the command. */
export const eventMetadataOf = (envelope: CommandEnvelope): EventMetadata => ({
  commandId: envelope.commandId,
  correlationId: envelope.correlationId,
  causationId: envelope.commandId,
  issuedAt: envelope.issuedAt,
  ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
});

/** What the command ledger keeps of an envelope: ids, causation, issuer, fingerprint and payload. */
export const commandRecordOf = (envelope: CommandEnvelope): CommandRecord => ({
  commandId: envelope.commandId,
  type: envelope.type,
  correlationId: envelope.correlationId,
  causationId: envelope.causationId,
  issuedAt: envelope.issuedAt,
  ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
  fingerprint: commandFingerprint(envelope),
  payload: envelope.payload ?? {},
});
