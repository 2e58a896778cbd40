import type { RecordedEvent } from '../messages/index.js';
import type { StoredTraceContext } from '../tracing/index.js';

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
   */
  publish(event: RecordedEvent, trace: StoredTraceContext): Promise<PublishAck>;
}
