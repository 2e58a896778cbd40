import { failureReason } from '../errors/index.js';
import type { RecordedEvent } from '../messages/index.js';
import type { StoredTraceContext } from '../tracing/index.js';

/**
 * A failure that is the event's own, not the broker's nor the deployment's: the broker can never
 * carry it (too large for one message). Retrying cannot help; the outbox parks it. A type that is
 * no valid destination (VALIDATION) is not: every event of the type fails alike, so it stops the
 * partition, visibly, until the deployment is fixed.
 */
export const isBrokerRefusal = (error: unknown): boolean => failureReason(error).code === 'EVENT_TOO_LARGE';

/** The broker stored the event; `duplicate` when it already had it (a re-publish after a crash). */
export type PublishAck = { readonly duplicate: boolean };

/**
 * The outbox's port to a message broker. An adapter (NATS JetStream: createNatsEventBroker) names
 * the destination, sends the body and headers of `publishedEvent`/`publishedEventHeaders`, and
 * deduplicates by event id.
 */
export interface EventBroker {
  /** The broker's name in spans and logs (`nats`, `kafka`…). */
  readonly system: string;
  /** Where `event` goes (a subject, a topic): for spans and logs. */
  destination(event: RecordedEvent): string;
  /**
   * Resolves once the broker durably stored the event (or already had it). Rejects with a
   * TransientError when the broker cannot be reached: retried without counting against the event.
   * Rejects with EVENT_TOO_LARGE when it can never carry this event: the outbox parks it as a
   * dead letter (isBrokerRefusal).
   */
  publish(event: RecordedEvent, trace: StoredTraceContext): Promise<PublishAck>;
}
