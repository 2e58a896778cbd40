import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError } from '../errors/index.js';
import type { DomainEvent, RecordedEvent } from '../messages/index.js';

/** The stored form of each event of a domain union: `RecordedOf<OrderEvent>`. */
export type RecordedOf<Event extends DomainEvent> =
  Event extends DomainEvent<infer Type, infer Data> ? RecordedEvent<Type, Data> : never;

export type ProjectionDefinition<Event extends RecordedEvent> = {
  /** Checkpoints are kept under this name; also names the shadow schema of a rebuild. */
  readonly name: string;
  /** The event types it handles; no other event reaches `handle`. */
  readonly events: readonly Event['type'][];
  /**
   * Streams are spread over partitions by a hash of their id; each partition runs on one worker
   * at a time, in order. Handlers of different partitions run concurrently. Default 1.
   */
  readonly partitions?: number;
  /**
   * Every table `handle` and `reset` write, named without a schema. With them, a rebuild fills
   * shadow copies while the live tables keep serving, then swaps; without, it resets in place.
   */
  readonly tables?: readonly string[];
  /** Writes the read model; runs in the transaction that then moves the checkpoint. */
  handle(event: Event, tx: Knex.Transaction): Promise<void>;
  /** Empties the read model (and seeds it, if it needs rows to exist), before a replay. */
  reset(tx: Knex.Transaction): Promise<void>;
};

/** A defined projection, as the runtime uses it. */
export type Projection = {
  readonly name: string;
  readonly events: readonly string[];
  readonly partitions: number;
  readonly tables: readonly string[];
  handle(event: RecordedEvent, tx: Knex.Transaction): Promise<void>;
  reset(tx: Knex.Transaction): Promise<void>;
};

const namePattern = /^[a-z][a-z0-9_]{0,39}$/;
const tablePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Defines a projection: a read model kept by the events it lists.
 * @example
 * export const ordersView = defineProjection<RecordedOf<OrderEvent>>({
 *   name: 'orders_view',
 *   events: ['OrderPlaced', 'OrderPaid'],
 *   partitions: 4,
 *   tables: ['orders_view'],
 *   handle: async (event, tx) => { await tx.raw('update orders_view set ... where order_id = ?', [event.streamId]) },
 *   reset: async (tx) => { await tx.raw('truncate orders_view') },
 * });
 */
export const defineProjection = <Event extends RecordedEvent>(
  definition: ProjectionDefinition<Event>,
): Projection => {
  const fail = (message: string) => {
    throw new ChronicleError('CONFIGURATION', `projection "${definition.name}": ${message}`);
  };
  if (!namePattern.test(definition.name)) fail(`its name must match ${namePattern}`);
  if (definition.events.length === 0) fail('it must handle at least one event type');
  const partitions = definition.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024)
    fail('partitions must be in 1..1024');
  for (const table of definition.tables ?? []) {
    if (!tablePattern.test(table)) fail(`table "${table}" must be a plain lower-case name`);
  }
  return {
    name: definition.name,
    events: [...new Set(definition.events)],
    partitions,
    tables: [...(definition.tables ?? [])],
    // the subscription reads only `events`, so each event is one of the handler's union
    handle: (event, tx) => definition.handle(event as Event, tx),
    reset: (tx) => definition.reset(tx),
  };
};
