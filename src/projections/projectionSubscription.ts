import type { Knex } from '@mikro-orm/postgresql';
import { withCorrelationBaggage } from '../logging/index.js';
import type { RecordedEvent } from '../messages/index.js';
import {
  type BatchContext,
  consumerAttributes,
  EventHandlingError,
  eventAttributes,
  eventLinks,
  eventTraceContext,
  type SubscriptionDefinition,
  sharedEventAttributes,
} from '../subscriptions/index.js';
import { attr, withSpan } from '../tracing/index.js';
import type { Projection } from './defineProjection.js';

export type ProjectionSubscriptionOptions = {
  /** Checkpoints under another name (a rebuild's shadow). */
  readonly name?: string;
  readonly prepareTransaction?: (tx: Knex.Transaction) => Promise<void>;
};

/** Where a `handle <name>` span runs: the subscription, the projection and its partition. */
const handleAttributes = (projection: Projection, where: BatchContext) => ({
  ...consumerAttributes(where, 'handle'),
  [attr.projection]: projection.name,
  [attr.partition]: where.partition,
});

/**
 * `handle <name>` around one event's handling: a child of the span that appended it, with the
 * event's attributes and its correlation id in the baggage. A failure names the event.
 */
const handleOne = async (
  projection: Projection,
  where: BatchContext,
  event: RecordedEvent,
  index: number,
  fn: () => Promise<void>,
) => {
  try {
    await withSpan(
      'consumer',
      `handle ${projection.name}`,
      {
        parent: eventTraceContext(event),
        attributes: { ...eventAttributes(event), ...handleAttributes(projection, where) },
      },
      () => withCorrelationBaggage(event.metadata.correlationId, fn),
    );
  } catch (error) {
    throw new EventHandlingError(event, index, error);
  }
};

/**
 * A projection as a subscription. A per-event handler runs each event in its own `handle <name>`
 * span (see handleOne), so a failure stops the partition right at that event. A batch handler
 * gets the whole batch in one `handle <name>` span: a batch of one is handled as above; a larger
 * one is a child of the batch's `process` span, linked to the span that appended each event (a
 * set-based write cannot say which event failed: the error is the batch's).
 */
export const projectionSubscription = (
  projection: Projection,
  options: ProjectionSubscriptionOptions = {},
): SubscriptionDefinition => {
  const { handler } = projection;
  return {
    // a read model parks an event it cannot write and goes on (docs/decisions.md, Failures)
    parksPoisonEvents: true,
    name: options.name ?? projection.name,
    partitions: projection.partitions,
    filter: { eventTypes: projection.events },
    ...(options.prepareTransaction ? { prepareTransaction: options.prepareTransaction } : {}),
    handleBatch: async (events, tx, where) => {
      switch (handler.kind) {
        case 'event':
          for (const [index, event] of events.entries())
            await handleOne(projection, where, event, index, () => handler.handle(event, tx));
          return;
        case 'batch': {
          const [only] = events;
          if (only && events.length === 1)
            return handleOne(projection, where, only, 0, () => handler.handleBatch(events, tx, where));
          await withSpan(
            'consumer',
            `handle ${projection.name}`,
            {
              attributes: {
                ...handleAttributes(projection, where),
                [attr.messagingBatchCount]: events.length,
              },
              whenRecorded: () => ({ links: eventLinks(events), attributes: sharedEventAttributes(events) }),
            },
            () => handler.handleBatch(events, tx, where),
          );
          return;
        }
        default:
          return handler satisfies never;
      }
    },
  };
};
