import type { PersistedAggregateState } from '../aggregate/index.js';
import type { AcceptedResult, DomainEvent, EventMetadata, RecordedEvent } from '../messages/index.js';

export type StreamRef = { readonly streamType: string; readonly streamId: string };

export type AppendRequest = StreamRef & {
  /** The version the stream must be at: 0 for a stream with no events yet. */
  readonly expectedVersion: number;
  readonly events: readonly DomainEvent[];
  readonly metadata: EventMetadata;
  /** Recorded with the events, in the same transaction: the command's effect happens once. */
  readonly command: { readonly commandId: string; readonly type: string };
};

export type AppendOutcome =
  | { readonly status: 'appended'; readonly result: AcceptedResult }
  /** The command was already recorded: its stored result, nothing appended. */
  | { readonly status: 'duplicate'; readonly result: AcceptedResult };

export type StoredSnapshot = StreamRef & {
  readonly version: number;
  readonly machineHash: string;
  readonly state: PersistedAggregateState;
  readonly takenAt: string;
};

export type ReadStreamOptions = { readonly afterVersion?: number; readonly toVersion?: number };

/** The event store port. Adapters: createPostgresEventStore. */
export interface EventStore {
  /** Throws ConcurrencyError when the stream is not at `expectedVersion`. */
  append(request: AppendRequest): Promise<AppendOutcome>;
  readStream(stream: StreamRef, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  streamVersion(stream: StreamRef): Promise<number>;
  findCommandResult(commandId: string): Promise<AcceptedResult | undefined>;
  readSnapshot(stream: StreamRef): Promise<StoredSnapshot | undefined>;
  /** Keeps the newest: a snapshot older than the stored one is ignored. */
  writeSnapshot(snapshot: Omit<StoredSnapshot, 'takenAt'>): Promise<void>;
}
