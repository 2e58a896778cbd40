import type { RecordedEvent } from './event.js';

export type AcceptedResult = {
  readonly status: 'accepted';
  readonly commandId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly events: readonly RecordedEvent[];
};

export type RejectedResult = {
  readonly status: 'rejected';
  readonly commandId: string;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

/** The answer to a command: accepted with its events, or rejected with a code. Never both. */
export type CommandResult = AcceptedResult | RejectedResult;
