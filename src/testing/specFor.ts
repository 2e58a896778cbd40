import type { AnyStateMachine, ContextFrom, EventFromLogic, StateValue } from 'xstate';
import { AggregateInstance } from '../aggregate/aggregateInstance.js';
import { createAggregateRegistry } from '../aggregate/aggregateRegistry.js';
import { type Decision, decideCommand } from '../aggregate/decideCommand.js';
import type { Aggregate } from '../aggregate/defineAggregate.js';
import { formatStateValue } from '../aggregate/formatStateValue.js';
import { precheckCommand } from '../aggregate/precheckCommand.js';
import { ChronicleError } from '../errors/index.js';
import type { CommandEnvelope } from '../messages/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import { type ProcessSpec, processManagerSpec } from './processManagerSpec.js';
import { asStored, assertEqual, fail } from './specAssertions.js';

/** The fixed envelope fields every spec command carries, unless a spec overrides them. */
export const specDefaults = {
  aggregateId: 'spec-aggregate-1',
  commandId: 'spec-command-1',
  issuedAt: '2025-01-01T12:00:00.000Z',
  issuedBy: 'spec',
} as const;

export type SpecCommand = {
  readonly type: string;
  /** The payload, exactly as a sender would put it in the envelope. Default: `{}`. */
  readonly data?: unknown;
  /** Envelope fields to override (issuedAt, issuedBy, commandId…). */
  readonly envelope?: Partial<Omit<CommandEnvelope, 'type' | 'payload' | 'aggregateType'>>;
};

export type ExpectedState<Context> = {
  readonly value?: StateValue;
  /** Only the keys given are compared. */
  readonly context?: Partial<Context>;
};

export type SpecRejection = {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

export type SpecThen<Event, Context> = {
  /** The command is accepted and decides exactly these events (compared as they would be stored). */
  then(expected: readonly Event[]): SpecThen<Event, Context>;
  /** The command is accepted, and the aggregate's state after its events matches. */
  thenState(expected: ExpectedState<Context>): SpecThen<Event, Context>;
  /** The command is rejected with this code (and a message containing or matching `message`). */
  thenRejected(code: string, message?: string | RegExp): SpecRejection;
  /** The raw decision, for anything the helpers above do not cover. */
  readonly decision: Decision;
};

export type SpecGiven<Event, Context> = {
  when(command: SpecCommand): SpecThen<Event, Context>;
  /** The state the given events fold to. */
  thenState(expected: ExpectedState<Context>): SpecGiven<Event, Context>;
};

export type AggregateSpec<Event, Context> = SpecGiven<Event, Context> & {
  given(events: readonly Event[]): SpecGiven<Event, Context>;
};

/** Hydrates as the worker does (versions 1..n), but refuses a history the machine would not accept. */
const hydrate = (aggregate: Aggregate, events: readonly unknown[]): AggregateInstance => {
  const actor = AggregateInstance.hydrate(aggregate, specDefaults.aggregateId, undefined, []);
  for (const [index, raw] of asStored(events).entries()) {
    const event = raw as { type: string; data: unknown };
    if (!actor.snapshot.can(event)) {
      fail(
        `given event #${index + 1} (${event.type}) is not accepted by ${aggregate.type} in state ` +
          `${formatStateValue(actor.snapshot.value)}: this history could not have been recorded`,
      );
    }
    actor.apply([{ ...event, version: index + 1 }]);
  }
  return actor;
};

const matchState = (
  aggregate: Aggregate,
  actor: AggregateInstance,
  expected: ExpectedState<unknown>,
): void => {
  const { value, context } = asStored(actor.persisted()) as { value: StateValue; context: unknown };
  if (expected.value !== undefined) {
    assertEqual(value, expected.value, `${aggregate.type} is in state ${formatStateValue(value)}`);
  }
  if (expected.context !== undefined) {
    const actual = context as Record<string, unknown>;
    const keys = Object.keys(expected.context);
    const picked = Object.fromEntries(keys.map((key) => [key, actual[key]]));
    assertEqual(picked, asStored(expected.context), `${aggregate.type} context differs`);
  }
};

const thenFor = (aggregate: Aggregate, history: readonly unknown[], command: SpecCommand) => {
  const actor = hydrate(aggregate, history);
  const envelope: CommandEnvelope = {
    commandId: specDefaults.commandId,
    aggregateType: aggregate.type,
    aggregateId: specDefaults.aggregateId,
    correlationId: specDefaults.commandId,
    causationId: specDefaults.commandId,
    issuedAt: specDefaults.issuedAt,
    issuedBy: specDefaults.issuedBy,
    ...command.envelope,
    type: command.type,
    payload: 'data' in command ? command.data : {},
  };
  // the worker's path: precheck, decide, then the actor adopts the state decide reached
  const known = precheckCommand(createAggregateRegistry([aggregate]), envelope);
  const decision: Decision = known.status === 'known' ? decideCommand(known, actor, envelope) : known;
  if (decision.status === 'decided') {
    actor.advance(
      decision.next,
      decision.events.map((_, index) => ({ version: actor.version + index + 1 })),
    );
  }

  const accepted = (what: string): readonly unknown[] => {
    if (decision.status === 'decided') return decision.events;
    return fail(`expected ${what}, but ${command.type} was rejected: ${decision.code}: ${decision.message}`);
  };

  const spec: SpecThen<unknown, unknown> = {
    decision,
    // biome-ignore lint/suspicious/noThenProperty: given/when/then; a spec is never awaited (see below).
    then(expected) {
      if (typeof expected === 'function')
        throw new ChronicleError(
          'CONFIGURATION',
          'a spec is not a promise: call .then([...events]), do not await it',
        );
      const events = accepted('events');
      assertEqual(asStored(events), asStored(expected), `${command.type} decided other events`);
      return spec;
    },
    thenState(expected) {
      accepted('an accepted command');
      matchState(aggregate, actor, expected);
      return spec;
    },
    thenRejected(code, message) {
      if (decision.status === 'decided') {
        const events = JSON.stringify(decision.events);
        return fail(`expected ${command.type} to be rejected with ${code}, but it decided ${events}`);
      }
      const rejection: SpecRejection = {
        code: decision.code,
        message: decision.message,
        ...(decision.details ? { details: decision.details } : {}),
      };
      assertEqual(decision.code, code, `${command.type} was rejected with another code: ${decision.message}`);
      const matches =
        message === undefined ||
        (typeof message === 'string' ? decision.message.includes(message) : message.test(decision.message));
      if (!matches) fail(`rejection message does not match`, decision.message, message);
      return rejection;
    },
  };
  return spec;
};

const givenFor = (aggregate: Aggregate, history: readonly unknown[]): SpecGiven<unknown, unknown> => {
  const given: SpecGiven<unknown, unknown> = {
    when: (command) => thenFor(aggregate, history, command),
    thenState: (expected) => {
      const actor = hydrate(aggregate, history);
      matchState(aggregate, actor, expected);
      return given;
    },
  };
  return given;
};

/**
 * A given/when/then specification of an aggregate, run through the real runtime: the given events
 * are folded by `AggregateInstance.hydrate`/`apply` (versions 1..n), the command is decided by
 * `decideCommand` from an envelope with fixed ids and time (`specDefaults`), and the decided events
 * are folded into the same actor. Failures throw AssertionErrors with `actual` and `expected`.
 * @example
 * specFor(order)
 *   .given([placed, { type: 'OrderPaymentInitiated', data: {} }])
 *   .when({ type: 'ConfirmPayment' })
 *   .then([{ type: 'OrderPaid', data: {} }])
 *   .thenState({ context: { paymentStatus: 'PAID' } });
 */
export function specFor<Machine extends AnyStateMachine>(
  aggregate: Aggregate<string, Machine>,
): AggregateSpec<EventFromLogic<Machine>, ContextFrom<Machine>>;
/** The same for a process manager: given inputs, when an input, then commands and deadlines. */
export function specFor<Machine extends AnyStateMachine>(
  processManager: ProcessManager<Machine>,
): ProcessSpec<EventFromLogic<Machine>, ContextFrom<Machine>>;
export function specFor(subject: Aggregate | ProcessManager): unknown {
  if ('kind' in subject && subject.kind === 'process-manager') return processManagerSpec(subject);
  const aggregate = subject as Aggregate;
  const spec: AggregateSpec<unknown, unknown> = {
    ...givenFor(aggregate, []),
    given: (events) => givenFor(aggregate, events),
  };
  return spec;
}
