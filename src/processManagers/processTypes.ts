import type { StoredTraceContext } from '../tracing/index.js';

/** A command a process manager sends; the runtime adds its id, causation, correlation and answerTo. */
export type ProcessCommandRequest = {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  readonly payload?: unknown;
};

/** Where an input came from: an event of another stream, or one of the instance's deadlines. */
export type InputSource = {
  readonly eventId?: string;
  readonly streamType?: string;
  readonly streamId?: string;
  readonly version?: number;
  /** The event's schema version when the input was recorded (absent: recorded before versions, so 1). */
  readonly schemaVersion?: number;
  readonly deadlineId?: string;
};

/**
 * What a process manager's machine receives: an event it correlates (type and data as stored),
 * `CommandRejected` (the answer to a command it sent), or the input one of its deadlines carried.
 */
export type ProcessInput<Type extends string = string, Data = unknown> = {
  readonly type: Type;
  readonly data: Data;
  readonly source?: InputSource;
};

/** The data of the CommandRejected input: which command was refused, and why. */
export type CommandRejectedData = {
  readonly commandId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly commandType: string;
  readonly code: string;
  readonly message: string;
};

/** What the machine emits (through sendCommand, scheduleDeadline, cancelDeadline). */
export type ProcessEmitted =
  | { readonly type: 'chronicle.send'; readonly command: ProcessCommandRequest }
  | {
      readonly type: 'chronicle.schedule';
      readonly name: string;
      readonly delayMs: number;
      readonly input: Omit<ProcessInput, 'source'>;
    }
  | { readonly type: 'chronicle.cancel'; readonly name: string };

/**
 * A decision, with the ids that make it idempotent: commands carry ids derived from (process
 * manager, input id, position), deadlines ids derived from (process manager, key, name, input id).
 */
export type ProcessOutput =
  | ({ readonly kind: 'command'; readonly commandId: string } & Required<ProcessCommandRequest>)
  | {
      readonly kind: 'schedule';
      readonly deadlineId: string;
      readonly name: string;
      /** When it fires (ISO 8601), fixed at the decision so a re-dispatch keeps it. */
      readonly at: string;
      readonly input: Omit<ProcessInput, 'source'>;
    }
  | { readonly kind: 'cancel'; readonly deadlineId: string; readonly name: string };

/** The data of an event of a process manager's own stream: the input it handled and what it decided. */
export type HandledInputData = {
  /** The event id or deadline id of the input: handling it again is a duplicate. */
  readonly inputId: string;
  readonly input: Omit<ProcessInput, 'source'>;
  readonly source: InputSource;
  readonly outputs: readonly ProcessOutput[];
};

/** An input on its way into an instance: its id (event or deadline id) makes its handling idempotent. */
export type RoutedInput = {
  readonly key: string;
  readonly inputId: string;
  readonly input: ProcessInput;
  readonly correlationId: string;
  /** What caused the input, when it is not the input itself: a deadline's scheduling event. */
  readonly causationId?: string;
  /** Trace context to continue (the event's append span). */
  readonly trace?: StoredTraceContext;
};
