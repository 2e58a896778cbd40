import { CommandRejection } from '../errors/index.js';
import type { Aggregate } from './defineAggregate.js';

/** The aggregates a pod knows, by type. */
export type AggregateRegistry = {
  readonly types: readonly string[];
  /** Throws a rejection with UNKNOWN_AGGREGATE for a type nobody defined. */
  get(type: string): Aggregate;
  find(type: string): Aggregate | undefined;
};

export const createAggregateRegistry = (aggregates: readonly Aggregate[]): AggregateRegistry => {
  const byType = new Map<string, Aggregate>();
  for (const aggregate of aggregates) {
    if (byType.has(aggregate.type))
      throw new TypeError(`aggregate type "${aggregate.type}" is defined twice`);
    byType.set(aggregate.type, aggregate);
  }
  const find = (type: string) => byType.get(type);
  return {
    types: [...byType.keys()],
    find,
    get: (type) => {
      const aggregate = find(type);
      if (!aggregate) {
        throw new CommandRejection('UNKNOWN_AGGREGATE', `no aggregate type "${type}"`, {
          known: [...byType.keys()],
        });
      }
      return aggregate;
    },
  };
};
