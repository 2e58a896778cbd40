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
