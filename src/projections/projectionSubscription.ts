import type { Knex } from '@mikro-orm/postgresql';
import {
  EventHandlingError,
  eventTraceContext,
  type SubscriptionDefinition,
} from '../subscriptions/index.js';
import { attr, withSpan } from '../tracing/index.js';
import type { Projection } from './defineProjection.js';

export type ProjectionSubscriptionOptions = {
  /** Checkpoints under another name (a rebuild's shadow). */
  readonly name?: string;
  readonly prepareTransaction?: (tx: Knex.Transaction) => Promise<void>;
};

/**
 * A projection as a subscription: each event is handled in its own span, whose parent is the trace
 * that appended the event; a failing event is named in the error, so its partition stops right there.
 */
export const projectionSubscription = (
  projection: Projection,
  options: ProjectionSubscriptionOptions = {},
): SubscriptionDefinition => ({
  name: options.name ?? projection.name,
  partitions: projection.partitions,
  filter: { eventTypes: projection.events },
  ...(options.prepareTransaction ? { prepareTransaction: options.prepareTransaction } : {}),
  handleBatch: async (events, tx, { partition }) => {
    for (const [index, event] of events.entries()) {
      try {
        await withSpan(
          'consumer',
          `process ${projection.name}`,
          {
            parent: eventTraceContext(event),
            attributes: {
              [attr.projection]: projection.name,
              [attr.partition]: partition,
              [attr.aggregateType]: event.streamType,
              [attr.aggregateId]: event.streamId,
              [attr.aggregateVersion]: event.version,
              [attr.eventType]: event.type,
              [attr.eventId]: event.eventId,
              [attr.correlationId]: event.metadata.correlationId,
              [attr.causationId]: event.metadata.causationId,
              [attr.messagingSystem]: 'postgresql',
              [attr.messagingDestination]: projection.name,
              [attr.messagingOperationType]: 'process',
              [attr.messagingMessageId]: event.eventId,
            },
          },
          () => projection.handle(event, tx),
        );
      } catch (error) {
        throw new EventHandlingError(event, index, error);
      }
    }
  },
});
