import type { CommandEnvelope } from './command.js';

/** A domain event as decided: what happened, in the past tense, with its data. */
export type DomainEvent<Type extends string = string, Data = unknown> = {
  readonly type: Type;
  readonly data: Data;
};

/**
 * What travels with every stored event, taken from the envelope that caused it
 * (`eventMetadataOf`): its command's ids, who issued it when, and the trace context of the span
 * that appended it. `causationId` is the id of the message that caused the event: the command's
 * id, or that of the event a process manager reacted to.
 */
export type EventMetadata = Pick<
  CommandEnvelope,
  'commandId' | 'correlationId' | 'causationId' | 'issuedBy' | 'traceparent' | 'tracestate'
> &
  Partial<Pick<CommandEnvelope, 'issuedAt'>>;

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
