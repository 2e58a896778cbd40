import type { PersistedAggregateState } from '../aggregate/index.js';
import type {
  AcceptedResult,
  AnswerTo,
  CommandRecord,
  CommandResult,
  DomainEvent,
  EventMetadata,
  RecordedEvent,
  RejectedResult,
} from '../messages/index.js';

export type StreamRef = { readonly streamType: string; readonly streamId: string };

/** An event to append; an `eventId` given by the caller makes the append idempotent by that id. */
export type EventDraft = DomainEvent & { readonly eventId?: string };

export type AppendRequest = StreamRef & {
  /** The version the stream must be at: 0 for a stream with no events yet. */
  readonly expectedVersion: number;
  readonly events: readonly EventDraft[];
  readonly metadata: EventMetadata;
  /**
   * Recorded with the events, in the same transaction: the command's effect happens once. Without
   * one (a process manager recording an input), the events' own ids make the append idempotent.
   */
  readonly command?: CommandRecord;
};

export type AppendOutcome =
  | { readonly status: 'appended'; readonly result: AcceptedResult }
  /** The command (or an event with one of the given ids) was already recorded: nothing appended. */
  | { readonly status: 'duplicate'; readonly result: CommandResult; readonly fingerprint?: string };

/** A command as the ledger keeps it: its one answer, what it asked, and what caused it. */
export type StoredCommand = StreamRef &
  Omit<CommandRecord, 'payload'> & {
    readonly result: CommandResult;
    readonly recordedAt: string;
  };

/** A rejection to record: the command has no effect, but its answer and causation are kept. */
export type RejectionRequest = StreamRef & {
  readonly command: CommandRecord;
  readonly rejection: Pick<RejectedResult, 'code' | 'message' | 'details'>;
  /** The process manager that sent the command hears of the rejection as a CommandRejected event. */
  readonly answerTo?: AnswerTo;
};

export type RejectionOutcome =
  | { readonly status: 'recorded' }
  /** The command id was recorded before: its first answer stands. */
  | { readonly status: 'duplicate'; readonly stored: StoredCommand };

export type StoredSnapshot = StreamRef & {
  readonly version: number;
  readonly machineHash: string;
  readonly state: PersistedAggregateState;
  readonly takenAt: string;
};

/** What a fold needs of a stored event: its version, name and data, in their current shape. */
export type EventToFold = DomainEvent & { readonly version: number };

/**
 * What hydrating a stream folds: its latest snapshot of the machine asked for (its state and
 * version), if there is one, and the events after it.
 */
export type ToFold = {
  readonly snapshot?: { readonly version: number; readonly state: PersistedAggregateState };
  readonly events: EventToFold[];
};

export type ReadStreamOptions = { readonly afterVersion?: number; readonly toVersion?: number };

/** The event store port. Adapters: createPostgresEventStore. */
export interface EventStore {
  /** Throws ConcurrencyError when the stream is not at `expectedVersion`. */
  append(request: AppendRequest): Promise<AppendOutcome>;
  readStream(stream: StreamRef, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The same events, only what folding them needs (hydration reads nothing else of each row). */
  readStreamToFold(stream: StreamRef, options?: ReadStreamOptions): Promise<EventToFold[]>;
  /**
   * The latest snapshot taken with `machineHash` (of this machine and these event schemas) and not
   * past `toVersion`, then the events after it up to `toVersion` (without one, every event from the
   * first), as `readStreamToFold` reads them: what hydrating an aggregate folds.
   */
  readToFold(
    stream: StreamRef,
    machineHash: string,
    options?: Pick<ReadStreamOptions, 'toVersion'>,
  ): Promise<ToFold>;
  streamVersion(stream: StreamRef): Promise<number>;
  /** The stream's version at `time`: of its last event recorded then or before, 0 if none was. */
  versionAt(stream: StreamRef, time: Date): Promise<number>;
  /** The stored answer of a command (accepted or rejected), if it was recorded. */
  findCommandResult(commandId: string): Promise<CommandResult | undefined>;
  findCommand(commandId: string): Promise<StoredCommand | undefined>;
  /** Every recorded command and stored event of one correlation. */
  readCorrelation(correlationId: string): Promise<{
    readonly commands: readonly StoredCommand[];
    readonly events: readonly RecordedEvent[];
  }>;
  /** Records a rejection once; a rejected process-manager command also appends CommandRejected. */
  recordRejection(request: RejectionRequest): Promise<RejectionOutcome>;
  /** The latest snapshot: the one hydration starts from when its machine hash is current. */
  readSnapshot(stream: StreamRef): Promise<StoredSnapshot | undefined>;
  /** The snapshots a stream keeps, newest first: the latest, then those it replaced. */
  readSnapshots(stream: StreamRef): Promise<readonly StoredSnapshot[]>;
  /**
   * Keeps the newest: a snapshot older than the stored one is ignored. The one it replaces joins
   * the history, which keeps the store's snapshot history count in all; older ones are pruned.
   */
  writeSnapshot(snapshot: Omit<StoredSnapshot, 'takenAt'>): Promise<SnapshotWritten>;
}

/** How many snapshots a stream keeps by default: the latest and the one before. */
export const DEFAULT_SNAPSHOT_HISTORY = 2;

/** What writing a snapshot did: how many older snapshots of the stream it pruned. */
export type SnapshotWritten = { readonly pruned: number };
