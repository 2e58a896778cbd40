import type { AnyMachineSnapshot } from 'xstate';
import { isCommandRejection } from '../errors/index.js';
import { type CommandEnvelope, commandOf, type DomainEvent, type Rejection } from '../messages/index.js';
import { startFold } from './eventFold.js';
import { formatStateValue } from './formatStateValue.js';
import type { KnownCommand } from './precheckCommand.js';

/**
 * What decide made of a command: its events and the state they lead to (`next`, which the live
 * actor adopts once the events are stored, so they are folded once), or a rejection.
 */
export type Decision =
  | { readonly status: 'decided'; readonly events: readonly DomainEvent[]; readonly next: AnyMachineSnapshot }
  | ({ readonly status: 'rejected' } & Rejection);

const rejected = (code: string, message: string, details?: Record<string, unknown>): Decision => ({
  status: 'rejected',
  code,
  message,
  ...(details ? { details } : {}),
});

/**
 * Runs one prechecked command (see `precheckCommand`) against an aggregate's current state,
 * purely: decide, then walk every decided event through the machine in order (the one fold,
 * `startFold`, as hydration folds them). An event the state
 * it meets does not accept rejects the whole command with INVALID_TRANSITION.
 */
export const decideCommand = (
  known: KnownCommand,
  current: { readonly snapshot: AnyMachineSnapshot; readonly version: number },
  envelope: CommandEnvelope,
): Decision => {
  const { aggregate, definition } = known;
  const command = commandOf(envelope, known.data);
  const { value, context } = current.snapshot;
  let decided: readonly { type: string; data?: unknown }[];
  try {
    // a copy: a decide that mutates its state must not corrupt the live actor
    decided = definition.decide(command, {
      value,
      context: structuredClone(context),
      version: current.version,
    });
  } catch (error) {
    // only a rejection is an answer; any other error is a bug or an outage and must surface
    if (isCommandRejection(error)) return rejected(error.code, error.message, error.details);
    throw error;
  }

  const fold = startFold(aggregate.machine, current.snapshot);
  const events: DomainEvent[] = [];
  for (const raw of decided) {
    const event: DomainEvent = { type: raw.type, data: raw.data ?? {} };
    if (!fold.accepts(event)) {
      const { value } = fold.snapshot();
      return rejected(
        'INVALID_TRANSITION',
        `${aggregate.type} in state ${formatStateValue(value)} does not accept ${event.type}`,
        { state: value, event: event.type },
      );
    }
    fold.add(event);
    events.push(event);
  }
  return { status: 'decided', events, next: fold.snapshot() };
};
