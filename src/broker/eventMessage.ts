import type { Context } from '@opentelemetry/api';
import { ChronicleError } from '../errors/index.js';
import type { EventMetadata, RecordedEvent } from '../messages/index.js';
import { contextFrom, type StoredTraceContext } from '../tracing/index.js';

/** The JSON body of every event Chronicle publishes to a broker: what a consuming service reads. */
export type PublishedEvent = {
  readonly eventId: string;
  readonly streamType: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
  readonly globalPosition: number;
};

/** Header names on every published event, whichever broker carries it. */
export const eventHeaders = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  correlationId: 'chronicle-correlation-id',
  causationId: 'chronicle-causation-id',
} as const;

export const publishedEvent = (event: RecordedEvent): PublishedEvent => ({
  eventId: event.eventId,
  streamType: event.streamType,
  streamId: event.streamId,
  version: event.version,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: event.metadata,
  recordedAt: event.recordedAt,
  globalPosition: event.globalPosition,
});

/**
 * The headers of a published event: correlation and causation, and the trace context of the
 * publish span, so a consumer's span continues the trace that appended the event.
 */
export const publishedEventHeaders = (
  event: RecordedEvent,
  trace: StoredTraceContext,
): Readonly<Record<string, string>> => {
  // events written without metadata (imported, seeded by hand) get the headers they have
  const present = (name: string, value: unknown) =>
    typeof value === 'string' && value ? { [name]: value } : {};
  return {
    ...present(eventHeaders.correlationId, event.metadata?.correlationId),
    ...present(eventHeaders.causationId, event.metadata?.causationId),
    ...present(eventHeaders.traceparent, trace.traceparent),
    ...present(eventHeaders.tracestate, trace.tracestate),
  };
};

/** Reads a published event's body (bytes or text), for consuming services. */
export const decodePublishedEvent = (body: Uint8Array | string): PublishedEvent => {
  const parsed: unknown = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { eventId?: unknown }).eventId !== 'string' ||
    typeof (parsed as { type?: unknown }).type !== 'string'
  ) {
    throw new ChronicleError('VALIDATION', 'not a Chronicle event: eventId and type are required');
  }
  return parsed as PublishedEvent;
};

/**
 * The trace context a message's headers carry (`traceparent`, `tracestate`): the parent of the
 * receiving span, so it continues the sender's trace. A fresh root when there is none.
 * @example
 * const parent = headerTraceContext((name) => msg.headers?.get(name));
 */
export const headerTraceContext = (header: (name: string) => string | undefined): Context => {
  const traceparent = header(eventHeaders.traceparent) || undefined;
  const tracestate = header(eventHeaders.tracestate) || undefined;
  return contextFrom({ ...(traceparent ? { traceparent } : {}), ...(tracestate ? { tracestate } : {}) });
};
