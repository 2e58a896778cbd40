import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError } from '../errors/index.js';
import type { EventFilter } from '../eventStore/index.js';
import type { RecordedEvent } from '../messages/index.js';

export type BatchContext = { readonly subscription: string; readonly partition: number };

/** A checkpointed, partitioned consumer of the event stream: what a SubscriptionHost runs. */
export type SubscriptionDefinition = {
  /** Checkpoints are stored under this name. */
  readonly name: string;
  /** Streams are spread over partitions by a hash of their id; each partition is read in order. */
  readonly partitions: number;
  readonly filter: EventFilter;
  /**
   * Handles one batch inside the transaction that then moves the checkpoint: both commit or
   * neither does. Throw an EventHandlingError to name the event that failed.
   */
  readonly handleBatch: (
    events: readonly RecordedEvent[],
    tx: Knex.Transaction,
    context: BatchContext,
  ) => Promise<void>;
  /**
   * Set when the handler appends events in its batch transaction, so they commit with the
   * checkpoint (no runtime subscription does: a process manager's appends are its own idempotent
   * statements). Batch transactions are otherwise marked as readers, which every other
   * subscription's horizon passes over, and es_events refuses appends from them.
   */
  readonly appendsEvents?: boolean;
  /**
   * Set for read models: an event the handler cannot take (a failure retrying cannot fix) is
   * parked as a dead letter of the subscription, its stream's later events behind it, and the
   * partition goes on. A function parks only the failures it accepts (an outbox parks an event
   * the broker can never carry; anything else stops it). Unset, the partition stops on it instead.
   */
  readonly parksPoisonEvents?: boolean | ((error: unknown) => boolean);
  /** Runs first in every batch transaction (a rebuild points `search_path` at its shadow tables). */
  readonly prepareTransaction?: (tx: Knex.Transaction) => Promise<void>;
};

/** What status and retry need of a subscription: its name, filter and partition count. */
export type SubscriptionOutline = Pick<SubscriptionDefinition, 'name' | 'filter' | 'partitions'>;

const namePattern = /^[a-z][a-z0-9_.:-]{0,99}$/;

export const assertSubscriptionDefinition = (definition: SubscriptionDefinition): void => {
  if (!namePattern.test(definition.name)) {
    throw new ChronicleError(
      'CONFIGURATION',
      `subscription name "${definition.name}" must match ${namePattern}`,
    );
  }
  const { partitions } = definition;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    throw new ChronicleError('CONFIGURATION', `${definition.name}: partitions must be an integer in 1..1024`);
  }
};

/** A handler failed on `event`, the `index`-th of its batch: the events before it succeeded. */
export class EventHandlingError extends ChronicleError {
  override readonly name = 'EventHandlingError';
  constructor(
    readonly event: RecordedEvent,
    readonly index: number,
    cause: unknown,
  ) {
    super(
      'EVENT_HANDLING',
      `${event.type} ${event.eventId} (${event.streamType}/${event.streamId} v${event.version}): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}
