import type { RecordedEvent } from './event.js';

export type AcceptedResult = {
  readonly status: 'accepted';
  readonly commandId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly events: readonly RecordedEvent[];
};

/** Why a command was refused: a code the caller can branch on, a message a person can read. */
export type Rejection = {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

export type RejectedResult = { readonly status: 'rejected'; readonly commandId: string } & Rejection;

/** The answer to a command: accepted with its events, or rejected with a code. Never both. */
export type CommandResult = AcceptedResult | RejectedResult;

/** The one builder of a rejected answer; `details` is left out when there are none. */
export const rejectedResult = (commandId: string, rejection: Rejection): RejectedResult => ({
  status: 'rejected',
  commandId,
  code: rejection.code,
  message: rejection.message,
  ...(rejection.details ? { details: rejection.details } : {}),
});
