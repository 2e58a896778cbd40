/** Why a partition's handler failed on an event: recorded with the attempt, shown by status. */
export type FailureRecord = {
  readonly message: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly streamType?: string;
  readonly streamId?: string;
  readonly version?: number;
  readonly globalPosition?: number;
};

/** A failure as stored: the record, and when it was written. */
export type PartitionFailure = FailureRecord & { readonly at: string };

/** Which stored event: its id, type, stream, version in the stream and position in the store. */
export type StoredEventRef = {
  readonly eventId: string;
  readonly eventType: string;
  readonly streamType: string;
  readonly streamId: string;
  readonly version: number;
  readonly globalPosition: number;
};

/**
 * The event a partition waits at: written by a newer release than the worker that reached it, so
 * applied by nobody and skipped by nobody until a worker that reads its version takes the partition.
 */
export type WaitingRecord = StoredEventRef & {
  /** The version it is stored in. */
  readonly schemaVersion: number;
  /** The newest version of its type the worker that reached it reads. */
  readonly knownVersion: number;
  /** The worker that reached it and gave the partition up. */
  readonly worker: string;
};

/**
 * A wait as stored: the record, and since when; `readableBy` names the running releases that read
 * the event, where the reader of the status can ask (GET /v1/projections asks the release registry).
 */
export type PartitionWaiting = WaitingRecord & {
  readonly at: string;
  readonly readableBy?: readonly string[];
};
