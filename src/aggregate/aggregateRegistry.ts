import { ChronicleError, CommandRejection } from '../errors/index.js';
import { createEventSchemas, type EventSchemas } from '../eventSchemas/index.js';
import type { Rejection } from '../messages/index.js';
import type { Aggregate } from './defineAggregate.js';

/** The aggregates a pod knows, by type. */
export type AggregateRegistry = {
  readonly types: readonly string[];
  /** Their event schemas: what the event store reads and writes events of these streams with. */
  readonly schemas: EventSchemas;
  /** Throws a rejection with UNKNOWN_AGGREGATE for a type nobody defined. */
  get(type: string): Aggregate;
  find(type: string): Aggregate | undefined;
};

/** The one UNKNOWN_AGGREGATE answer, naming the types that do exist. */
export const unknownAggregate = (type: string, known: readonly string[]): Rejection => ({
  code: 'UNKNOWN_AGGREGATE',
  message: `no aggregate type "${type}"`,
  details: { known },
});

export const createAggregateRegistry = (aggregates: readonly Aggregate[]): AggregateRegistry => {
  const byType = new Map<string, Aggregate>();
  for (const aggregate of aggregates) {
    if (byType.has(aggregate.type))
      throw new ChronicleError('CONFIGURATION', `aggregate type "${aggregate.type}" is defined twice`);
    byType.set(aggregate.type, aggregate);
  }
  const types = [...byType.keys()];
  const find = (type: string) => byType.get(type);
  return {
    types,
    schemas: createEventSchemas(aggregates),
    find,
    get: (type) => {
      const aggregate = find(type);
      if (!aggregate) {
        const { code, message, details } = unknownAggregate(type, types);
        throw new CommandRejection(code, message, details);
      }
      return aggregate;
    },
  };
};
