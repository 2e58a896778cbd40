import { isDeepStrictEqual } from 'node:util';
import {
  type Aggregate,
  type AggregateRegistry,
  decideCommand,
  formatStateValue,
  initialSnapshot,
  precheckCommand,
  startFold,
} from '../aggregate/index.js';
import type { EventToFold, LedgerCommand, StreamRef } from '../eventStore/index.js';
import type { CommandEnvelope } from '../messages/index.js';
import type { CommandOutcome, Divergence } from './divergence.js';

/** What replaying one stream through the candidate found, and what it cost. */
export type StreamReplay = {
  readonly divergences: Divergence[];
  readonly commandsChecked: number;
  readonly commandsSame: number;
  /** Recorded without a payload (before the ledger kept them, or pruned): not decided again. */
  readonly payloadNotKept: number;
  /** After an event the candidate refuses, the state is not the candidate's: not decided again. */
  readonly commandsNotChecked: number;
  readonly eventsFolded: number;
  /** Time spent folding (not deciding): the fold rate snapshots' re-folding is estimated at. */
  readonly foldMs: number;
};

/** Stored data went through jsonb: compare the candidate's as it would be stored. */
const asStored = (value: unknown): unknown => (value === undefined ? {} : JSON.parse(JSON.stringify(value)));

const envelopeOf = (stream: StreamRef, command: LedgerCommand): CommandEnvelope => ({
  commandId: command.commandId,
  aggregateType: stream.streamType,
  aggregateId: stream.streamId,
  type: command.type,
  payload: command.payload,
  correlationId: command.correlationId ?? command.commandId,
  causationId: command.causationId ?? command.commandId,
  issuedAt: command.issuedAt ?? command.recordedAt,
  ...(command.issuedBy ? { issuedBy: command.issuedBy } : {}),
});

const sameOutcome = (stored: CommandOutcome, candidate: CommandOutcome): boolean => {
  if (stored.status === 'rejected' && candidate.status === 'rejected') return stored.code === candidate.code;
  if (stored.status !== 'accepted' || candidate.status !== 'accepted') return false;
  return (
    stored.events.length === candidate.events.length &&
    stored.events.every(
      (event, index) =>
        event.type === candidate.events[index]?.type &&
        isDeepStrictEqual(asStored(event.data), asStored(candidate.events[index]?.data)),
    )
  );
};

const kindOf = (stored: CommandOutcome, candidate: CommandOutcome) => {
  if (candidate.status === 'failed') return 'decide-failed' as const;
  if (stored.status === 'accepted')
    return candidate.status === 'rejected' ? ('now-rejected' as const) : ('other-events' as const);
  return candidate.status === 'accepted' ? ('now-accepted' as const) : ('other-rejection' as const);
};

/**
 * Folds one stream's stored events (already upcast by the candidate's schemas) through the
 * candidate's machine, with the fold production hydrates with (`startFold`), and decides each
 * recorded command again with the candidate's precheck and `decideCommand` on the state it was
 * decided on. Pure: what it found is returned.
 */
export const replayStream = (
  candidate: AggregateRegistry,
  aggregate: Aggregate,
  stream: StreamRef,
  events: readonly EventToFold[],
  commands: readonly LedgerCommand[],
): StreamReplay => {
  const divergences: Divergence[] = [];
  let commandsChecked = 0;
  let commandsSame = 0;
  let payloadNotKept = 0;
  let foldMs = 0;
  let eventsFolded = 0;
  const fold = startFold(aggregate.machine, initialSnapshot(aggregate.machine));
  let version = 0;
  let next = 0;

  const storedOutcome = (command: LedgerCommand): CommandOutcome =>
    command.answer.status === 'rejected'
      ? { status: 'rejected', code: command.answer.code, message: command.answer.message }
      : {
          status: 'accepted',
          events: events
            .slice(command.decidedAt, command.answer.lastVersion)
            .map(({ type, data }) => ({ type, data })),
        };

  const candidateOutcome = (command: LedgerCommand): CommandOutcome => {
    const envelope = envelopeOf(stream, command);
    const known = precheckCommand(candidate, envelope);
    if (known.status === 'rejected') return { status: 'rejected', code: known.code, message: known.message };
    try {
      const decision = decideCommand(known, { snapshot: fold.snapshot(), version }, envelope);
      return decision.status === 'rejected'
        ? { status: 'rejected', code: decision.code, message: decision.message }
        : { status: 'accepted', events: decision.events.map(({ type, data }) => ({ type, data })) };
    } catch (error) {
      return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  };

  /** Decides again the commands that were decided on the state at `version`. */
  const decideDue = () => {
    for (; next < commands.length && (commands[next] as LedgerCommand).decidedAt <= version; next++) {
      const command = commands[next] as LedgerCommand;
      if (command.payload === undefined) {
        payloadNotKept++;
        continue;
      }
      commandsChecked++;
      const stored = storedOutcome(command);
      const outcome = candidateOutcome(command);
      if (sameOutcome(stored, outcome)) {
        commandsSame++;
        continue;
      }
      divergences.push({
        ...stream,
        kind: kindOf(stored, outcome),
        commandId: command.commandId,
        command: command.type,
        version,
        stored,
        candidate: outcome,
      });
    }
  };

  let broken = false;
  for (const event of events) {
    decideDue();
    const started = performance.now();
    const input = { type: event.type, data: event.data };
    if (!fold.active() || !fold.accepts(input)) {
      foldMs += performance.now() - started;
      divergences.push({
        ...stream,
        kind: 'event-refused',
        version: event.version,
        state: fold.snapshot().value,
        event: event.type,
      });
      broken = true;
      break;
    }
    try {
      fold.add(input);
    } catch (error) {
      divergences.push({
        ...stream,
        kind: 'fold-failed',
        version: event.version,
        event: event.type,
        message: `in state ${formatStateValue(fold.snapshot().value)}: ${error instanceof Error ? error.message : String(error)}`,
      });
      broken = true;
      break;
    } finally {
      foldMs += performance.now() - started;
    }
    eventsFolded++;
    version = event.version;
  }
  if (!broken) decideDue();
  const commandsNotChecked = commands.length - next;
  return {
    divergences,
    commandsChecked,
    commandsSame,
    payloadNotKept,
    commandsNotChecked,
    eventsFolded,
    foldMs,
  };
};
