import { isChronicleError } from '../errors/index.js';
import { isRuntimeStream } from '../eventStore/index.js';
import type { RecordedEvent } from '../messages/index.js';
import {
  EventHandlingError,
  eventAttributes,
  eventTraceContext,
  type SubscriptionDefinition,
  type SubscriptionOutline,
} from '../subscriptions/index.js';
import { attr, currentTraceContext, withSpan } from '../tracing/index.js';
import { type EventBroker, isBrokerRefusal } from './eventBroker.js';
import { publishInStreamOrder } from './publishInStreamOrder.js';

export type OutboxSubscriptionOptions = {
  readonly broker: EventBroker;
  /** Its name, partitions and event filter (outboxOutline). */
  readonly outline: SubscriptionOutline;
  /** Streams of one batch published at once. Default 64. */
  readonly concurrency?: number;
  readonly onPublished?: (event: RecordedEvent, duplicate: boolean) => void;
};

export const outboxSubscriptionName = (system: string): string => `outbox_${system}`;

/**
 * The outbox subscription of a broker, as its workers run it and as status and retry see it:
 * `outbox_<system>`, 4 partitions unless told (each stream's events stay in one partition, so in
 * order), every event type unless a list is given.
 */
export const outboxOutline = (options: {
  readonly system: string;
  readonly partitions?: number;
  readonly eventTypes?: readonly string[];
}): SubscriptionOutline => ({
  name: outboxSubscriptionName(options.system),
  partitions: options.partitions ?? 4,
  filter: options.eventTypes ? { eventTypes: options.eventTypes } : {},
});

/**
 * es_events as a transactional outbox: a subscription (leased partitions, checkpoints, never a
 * skipped event) that publishes every event to the broker. The batch's checkpoint moves only after
 * the broker acknowledged every event of it; a crash before that re-publishes, and the broker drops
 * the copy by event id. Each publish is a producer span whose parent is the trace context stored
 * with the event (the append), and that span's context travels in the message headers.
 */
export const outboxSubscription = (options: OutboxSubscriptionOptions): SubscriptionDefinition => {
  const { broker } = options;
  const publishOne = (event: RecordedEvent) => {
    const destination = broker.destination(event);
    return withSpan(
      'producer',
      `publish ${destination}`,
      {
        parent: eventTraceContext(event),
        attributes: {
          ...eventAttributes(event),
          [attr.messagingSystem]: broker.system,
          [attr.messagingDestination]: destination,
          [attr.messagingOperationType]: 'send',
          [attr.messagingOperationName]: 'publish',
        },
      },
      async (span) => {
        const ack = await broker.publish(event, currentTraceContext());
        if (ack.duplicate) span.setAttribute(attr.outcome, 'duplicate');
        options.onPublished?.(event, ack.duplicate);
        return ack;
      },
    );
  };
  return {
    ...options.outline,
    // an event the broker can never carry is parked, its stream's later events behind it, and the
    // partition goes on; anything else the broker refuses stops the partition, visibly
    parksPoisonEvents: isBrokerRefusal,
    handleBatch: async (events) => {
      // the runtime's own streams (a process manager's refused command) stay inside; the
      // checkpoint passes them with the batch
      const published = events.filter((event) => !isRuntimeStream(event.streamType));
      const outcome = await publishInStreamOrder(published, options.concurrency ?? 64, publishOne);
      if (outcome.status === 'published') return;
      const { failure } = outcome;
      // the broker is away: not the event's fault, retried without counting (isTransientError)
      if (isChronicleError(failure.error, 'TRANSIENT')) throw failure.error;
      throw new EventHandlingError(failure.event, events.indexOf(failure.event), failure.error);
    },
  };
};
