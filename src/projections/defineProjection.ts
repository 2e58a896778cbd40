import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError } from '../errors/index.js';
import type { DomainEvent, RecordedEvent } from '../messages/index.js';
import type { BatchContext } from '../subscriptions/index.js';
import { type ProjectionQuery, queryPathProblem } from './projectionQuery.js';

/** The stored form of each event of a domain union: `RecordedOf<OrderEvent>`. */
export type RecordedOf<Event extends DomainEvent> =
  Event extends DomainEvent<infer Type, infer Data> ? RecordedEvent<Type, Data> : never;

type Common<Event extends RecordedEvent> = {
  /** Checkpoints are kept under this name; also names the shadow schema of a rebuild. */
  readonly name: string;
  /** The event types it handles; no other event reaches its handler. */
  readonly events: readonly Event['type'][];
  /**
   * Streams are spread over partitions by a hash of their id; each partition runs on one worker
   * at a time, in order. Handlers of different partitions run concurrently. Default 1.
   */
  readonly partitions?: number;
  /**
   * Every table the handler and `reset` write, named without a schema. With them, a rebuild fills
   * shadow copies while the live tables keep serving, then swaps; without, it resets in place.
   */
  readonly tables?: readonly string[];
  /** Empties the read model (and seeds it, if it needs rows to exist), before a replay. */
  reset(tx: Knex.Transaction): Promise<void>;
  /** What the api serves from the read model, under /v1 (role `read`). */
  readonly queries?: readonly ProjectionQuery[];
  /**
   * Rewrites the rows holding a forgotten data subject's personal data (set them to the redaction
   * value, or delete them), in the forgetting's transaction (`chronicle forget`, docs/personal-data.md).
   * A rebuild reads the redaction values anyway; this reaches the live rows at once.
   */
  forget?(subject: string, tx: Knex.Transaction): Promise<void>;
};

/** One event at a time: simple, one round trip (or more) per event. */
type EventHandler<Event extends RecordedEvent> = {
  /** Writes the read model; runs in the transaction that then moves the checkpoint. */
  handle(event: Event, tx: Knex.Transaction): Promise<void>;
  readonly handleBatch?: never;
};

/** The whole batch at once: set-based writes, a few round trips per batch. */
type BatchHandler<Event extends RecordedEvent> = {
  /**
   * Writes the read model for `events` (stream order kept within each stream; events of the
   * partition's other streams interleaved) in the transaction that then moves the checkpoint. Must
   * give the same result whether the events come in one batch or one at a time.
   */
  handleBatch(events: readonly Event[], tx: Knex.Transaction, context: BatchContext): Promise<void>;
  readonly handle?: never;
};

export type ProjectionDefinition<Event extends RecordedEvent> = Common<Event> &
  (EventHandler<Event> | BatchHandler<Event>);

/** How a defined projection writes: per event (a span per event) or per batch. */
export type ProjectionHandler =
  | { readonly kind: 'event'; handle(event: RecordedEvent, tx: Knex.Transaction): Promise<void> }
  | {
      readonly kind: 'batch';
      handleBatch(
        events: readonly RecordedEvent[],
        tx: Knex.Transaction,
        context: BatchContext,
      ): Promise<void>;
    };

/** A defined projection, as the runtime uses it. */
export type Projection = {
  readonly name: string;
  readonly events: readonly string[];
  readonly partitions: number;
  readonly tables: readonly string[];
  readonly handler: ProjectionHandler;
  readonly queries: readonly ProjectionQuery[];
  reset(tx: Knex.Transaction): Promise<void>;
  /** Rewrites a forgotten subject's rows, when the read model holds personal data. */
  readonly forget?: ((subject: string, tx: Knex.Transaction) => Promise<void>) | undefined;
};

const namePattern = /^[a-z][a-z0-9_]{0,39}$/;
const tablePattern = /^[a-z_][a-z0-9_]{0,62}$/;

// the subscription reads only `events`, so each event is one of the handler's union
const handlerOf = <Event extends RecordedEvent>(
  definition: ProjectionDefinition<Event>,
): ProjectionHandler => {
  if (definition.handleBatch) {
    const { handleBatch } = definition;
    return {
      kind: 'batch',
      handleBatch: (events, tx, context) => handleBatch(events as Event[], tx, context),
    };
  }
  const { handle } = definition as EventHandler<Event>;
  return { kind: 'event', handle: (event, tx) => handle(event as Event, tx) };
};

/**
 * Defines a projection: a read model kept by the events it lists, written by `handle` (one event
 * at a time) or `handleBatch` (the whole batch, set-based: the fast way, see docs/projections.md).
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
  if ((definition.handle === undefined) === (definition.handleBatch === undefined))
    fail('give it exactly one of handle and handleBatch');
  const partitions = definition.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024)
    fail('partitions must be in 1..1024');
  for (const table of definition.tables ?? []) {
    if (!tablePattern.test(table)) fail(`table "${table}" must be a plain lower-case name`);
  }
  for (const query of definition.queries ?? []) {
    const problem = queryPathProblem(query.path);
    if (problem) fail(problem);
  }
  return {
    name: definition.name,
    events: [...new Set(definition.events)],
    partitions,
    tables: [...(definition.tables ?? [])],
    handler: handlerOf(definition),
    queries: [...(definition.queries ?? [])],
    reset: (tx) => definition.reset(tx),
    ...(definition.forget ? { forget: definition.forget.bind(definition) } : {}),
  };
};
