import type { Knex } from '@mikro-orm/postgresql';
import { withCorrelationBaggage } from '../logging/index.js';
import {
  consumerAttributes,
  EventHandlingError,
  eventAttributes,
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
 * A projection as a subscription: each event is handled in its own consumer span `handle <name>`,
 * whose parent is the trace context stored with the event (the span that appended it), with the
 * correlation id in the baggage; a failing event is named in the error, so its partition stops
 * right there.
 */
export const projectionSubscription = (
  projection: Projection,
  options: ProjectionSubscriptionOptions = {},
): SubscriptionDefinition => ({
  name: options.name ?? projection.name,
  partitions: projection.partitions,
  filter: { eventTypes: projection.events },
  ...(options.prepareTransaction ? { prepareTransaction: options.prepareTransaction } : {}),
  handleBatch: async (events, tx, where) => {
    for (const [index, event] of events.entries()) {
      try {
        await withSpan(
          'consumer',
          `handle ${projection.name}`,
          {
            parent: eventTraceContext(event),
            attributes: {
              ...eventAttributes(event),
              ...consumerAttributes(where, 'handle'),
              [attr.projection]: projection.name,
              [attr.partition]: where.partition,
            },
          },
          () => withCorrelationBaggage(event.metadata.correlationId, () => projection.handle(event, tx)),
        );
      } catch (error) {
        throw new EventHandlingError(event, index, error);
      }
    }
  },
});
