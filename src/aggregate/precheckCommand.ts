import {
  type CommandEnvelope,
  checkEnvelope,
  type RejectedResult,
  rejectedResult,
} from '../messages/index.js';
import type { AggregateRegistry } from './aggregateRegistry.js';
import { unknownAggregate } from './aggregateRegistry.js';
import type { Aggregate } from './defineAggregate.js';
import { validatePayload } from './validatePayload.js';

/** A command that passed the precheck: its aggregate, its definition and its validated payload. */
export type KnownCommand = {
  readonly aggregate: Aggregate;
  readonly definition: Aggregate['commands'][string];
  /** The payload as the command's schema parsed it (defaults applied, unknown keys handled). */
  readonly data: unknown;
};

export type Precheck = ({ readonly status: 'known' } & KnownCommand) | RejectedResult;

/**
 * Everything that can be said about a command before its aggregate's state is read: the envelope
 * well formed, the aggregate type known, the command known to it, the payload valid against its
 * schema. The one place that answers VALIDATION, UNKNOWN_AGGREGATE and UNKNOWN_COMMAND: the HTTP
 * edge and the client (before enqueueing) ask it; the actor host asks its two halves apart, since
 * it answers a malformed envelope without recording it.
 */
export const precheckCommand = (registry: AggregateRegistry, envelope: CommandEnvelope): Precheck =>
  checkEnvelope(envelope) ?? resolveCommand(registry, envelope);

/**
 * The domain's half of the precheck, for a well-formed envelope (checkEnvelope): its aggregate,
 * its command and its payload as the command's schema parses it (the one parse per process).
 */
export const resolveCommand = (registry: AggregateRegistry, envelope: CommandEnvelope): Precheck => {
  const aggregate = registry.find(envelope.aggregateType);
  if (!aggregate) {
    return rejectedResult(envelope.commandId, unknownAggregate(envelope.aggregateType, registry.types));
  }
  const definition = Object.hasOwn(aggregate.commands, envelope.type)
    ? aggregate.commands[envelope.type]
    : undefined;
  if (!definition) {
    return rejectedResult(envelope.commandId, {
      code: 'UNKNOWN_COMMAND',
      message: `aggregate "${aggregate.type}" has no command "${envelope.type}"`,
      details: { known: Object.keys(aggregate.commands) },
    });
  }
  const payload = validatePayload(definition.schema, envelope.payload);
  if (payload.status === 'invalid') {
    return rejectedResult(envelope.commandId, {
      code: 'VALIDATION',
      message: payload.message,
      details: { issues: payload.issues },
    });
  }
  return { status: 'known', aggregate, definition, data: payload.data };
};
