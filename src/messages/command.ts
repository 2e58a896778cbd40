import type { RecordedEvent } from './event.js';

/** What a sender gives: the rest of the envelope is filled in by the client. */
export type CommandRequest = {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  readonly payload?: unknown;
  /** Idempotency key: the same id is the same command, however often it is sent. Default: uuid v7. */
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** A command sent in reaction to an event: causation = that event, correlation = the event's. */
  readonly causedBy?: Pick<RecordedEvent, 'eventId' | 'metadata'>;
  readonly issuedBy?: string;
  /** Set by a process manager: a rejection of this command comes back to it as an input. */
  readonly answerTo?: AnswerTo;
};

/** The process-manager instance that hears of a rejection of its command: its name and key. */
export type AnswerTo = { readonly processManager: string; readonly key: string };

/** The command as it travels through the queue. */
export type CommandEnvelope = {
  readonly commandId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  readonly payload: unknown;
  readonly correlationId: string;
  readonly causationId: string;
  readonly issuedAt: string;
  readonly issuedBy?: string;
  readonly answerTo?: AnswerTo;
  /** W3C trace context of the sending span. */
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** The Redis channel of the client waiting for the answer (set by CommandClient.send with wait). */
  readonly replyTo?: string;
};

/** The envelope's fields `decide` sees beside the command's data. */
export type CommandMetadata = Pick<
  CommandEnvelope,
  'commandId' | 'aggregateId' | 'correlationId' | 'causationId' | 'issuedAt' | 'issuedBy'
>;

/** The command as `decide` sees it: validated data, plus the envelope fields as metadata. */
export type Command<Type extends string = string, Data = unknown> = {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
};

/**
 * What the command ledger keeps of an envelope besides its outcome, for ever: its ids and
 * causation (optional: a ledger row written by an older release may lack them), and the payload
 * as sent, kept for CHRONICLE_COMMAND_PAYLOAD_RETENTION_DAYS so `chronicle what-if` can decide it
 * again.
 */
export type CommandRecord = Pick<CommandEnvelope, 'commandId' | 'type'> &
  Partial<Pick<CommandEnvelope, 'correlationId' | 'causationId' | 'issuedAt' | 'issuedBy' | 'payload'>> & {
    /** commandFingerprint of the command: a second command under the same id is told apart by it. */
    readonly fingerprint?: string;
  };
