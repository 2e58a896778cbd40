import { type Attributes, isSpanContextValid, type Link, trace } from '@opentelemetry/api';
import type { RecordedEvent } from '../messages/index.js';
import { attr } from '../tracing/index.js';
import { eventTraceContext } from './eventTraceContext.js';
import type { BatchContext } from './subscriptionDefinition.js';

/**
 * What every span about a stored event carries, in whichever consumer: its stream and version, the
 * command that appended it, its correlation and causation, and the messaging identity of the event.
 * Never the event's data.
 */
export const eventAttributes = (event: RecordedEvent): Attributes => ({
  [attr.aggregateType]: event.streamType,
  [attr.aggregateId]: event.streamId,
  [attr.aggregateVersion]: event.version,
  [attr.eventType]: event.type,
  [attr.eventId]: event.eventId,
  [attr.commandId]: event.metadata.commandId,
  [attr.correlationId]: event.metadata.correlationId,
  [attr.causationId]: event.metadata.causationId,
  [attr.messagingSystem]: 'postgresql',
  [attr.messagingMessageId]: event.eventId,
  [attr.messagingConversationId]: event.metadata.correlationId,
});

/**
 * Where a consumer span runs: the subscription (the destination), its partition, and what is done
 * (`process` for a batch; `handle`, `snapshot`… for one event).
 */
export const consumerAttributes = (where: BatchContext, operation: string): Attributes => ({
  [attr.messagingSystem]: 'postgresql',
  [attr.messagingDestination]: where.subscription,
  [attr.messagingPartition]: String(where.partition),
  [attr.messagingOperationType]: 'process',
  [attr.messagingOperationName]: operation,
});

/** The event attributes every event of `events` shares: all of them for a batch of one. */
export const sharedEventAttributes = (events: readonly RecordedEvent[]): Attributes => {
  const [first, ...rest] = events.map(eventAttributes);
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([key, value]) => rest.every((other) => other[key] === value)),
  );
};

/**
 * A link to the span that appended each event, naming the event (events stored without a trace
 * context get none). The SDK keeps 128 links per span unless OTEL_SPAN_LINK_COUNT_LIMIT says more.
 */
export const eventLinks = (events: readonly RecordedEvent[]): Link[] =>
  events.flatMap((event) => {
    const context = trace.getSpanContext(eventTraceContext(event));
    return context && isSpanContextValid(context)
      ? [{ context, attributes: { [attr.messagingMessageId]: event.eventId } }]
      : [];
  });
