import type { CommandRecord, CommandResult, EventMetadata } from '../../messages/index.js';
import type { StoredCommand, StreamRef } from '../eventStore.js';
import type { MemoryLog } from './memoryLog.js';

/** A command as the in-memory ledger keeps it: an accepted answer is rebuilt on each read, as es_commands'. */
type LedgerEntry = {
  readonly command: Omit<StoredCommand, 'result'>;
  readonly answer:
    | { readonly status: 'accepted'; readonly firstVersion: number; readonly lastVersion: number }
    | { readonly status: 'rejected'; readonly result: CommandResult };
};

/** A ledger row's command, its causation filled from the command and the events' metadata as es_commands'. */
const ledgerCommand = (
  stream: StreamRef,
  command: CommandRecord,
  metadata: EventMetadata | undefined,
  recordedAt: Date,
): Omit<StoredCommand, 'result'> => {
  const correlationId = command.correlationId ?? metadata?.correlationId;
  const issuedAt = command.issuedAt ?? metadata?.issuedAt;
  const issuedBy = command.issuedBy ?? metadata?.issuedBy;
  return {
    streamType: stream.streamType,
    streamId: stream.streamId,
    commandId: command.commandId,
    type: command.type,
    ...(command.fingerprint ? { fingerprint: command.fingerprint } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(command.causationId ? { causationId: command.causationId } : {}),
    ...(issuedAt ? { issuedAt: new Date(issuedAt).toISOString() } : {}),
    ...(issuedBy ? { issuedBy } : {}),
    recordedAt: recordedAt.toISOString(),
  };
};

/**
 * The command ledger in memory, as es_commands: each command id answered once, an accepted answer
 * rebuilt from the events its command appended, a rejection kept as it was given.
 */
export const createMemoryLedger = (log: MemoryLog, now: () => Date) => {
  const ledger = new Map<string, LedgerEntry>();

  const answerOf = ({ command, answer }: LedgerEntry): CommandResult => {
    if (answer.status === 'rejected') return answer.result;
    return {
      status: 'accepted',
      commandId: command.commandId,
      aggregateType: command.streamType,
      aggregateId: command.streamId,
      version: answer.lastVersion,
      events: log.versions(command, answer.firstVersion - 1, answer.lastVersion),
    };
  };

  const find = (commandId: string): StoredCommand | undefined => {
    const entry = ledger.get(commandId);
    return entry ? { ...entry.command, result: answerOf(entry) } : undefined;
  };

  return {
    find,

    /** An accepted command: the versions it appended, the causation from its envelope or its events. */
    accepted: (
      stream: StreamRef,
      command: CommandRecord,
      metadata: EventMetadata,
      versions: { readonly first: number; readonly last: number },
    ) =>
      ledger.set(command.commandId, {
        command: ledgerCommand(stream, command, metadata, now()),
        answer: { status: 'accepted', firstVersion: versions.first, lastVersion: versions.last },
      }),

    rejected: (stream: StreamRef, command: CommandRecord, result: CommandResult) =>
      ledger.set(command.commandId, {
        command: ledgerCommand(stream, command, undefined, now()),
        answer: { status: 'rejected', result },
      }),

    /** The commands of a correlation, in the order recorded. */
    correlated: (correlationId: string): StoredCommand[] =>
      [...ledger.values()].flatMap((entry) =>
        entry.command.correlationId === correlationId ? [{ ...entry.command, result: answerOf(entry) }] : [],
      ),
  };
};
