/** A domain event as decided: what happened, in the past tense, with its data. */
export type DomainEvent<Type extends string = string, Data = unknown> = {
  readonly type: Type;
  readonly data: Data;
};

/** What travels with every stored event: where it came from and which trace it belongs to. */
export type EventMetadata = {
  readonly commandId: string;
  readonly correlationId: string;
  /** The id of the message that caused this one: the command's id, or the event's that caused it. */
  readonly causationId: string;
  readonly issuedBy?: string;
  readonly issuedAt?: string;
  /** W3C trace context of the span that appended the event. */
  readonly traceparent?: string;
  readonly tracestate?: string;
};

/** An event as stored in `es_events`. Positions are JSON-safe numbers (bigint in the database). */
export type RecordedEvent<Type extends string = string, Data = unknown> = DomainEvent<Type, Data> & {
  readonly eventId: string;
  readonly streamType: string;
  readonly streamId: string;
  readonly version: number;
  readonly globalPosition: number;
  /** The appending transaction's id (xid8), as a decimal string. */
  readonly transactionId: string;
  readonly schemaVersion: number;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
};
