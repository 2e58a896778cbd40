import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * W3C trace context (`traceparent`, `tracestate`) and W3C baggage (`baggage`, which carries
 * `chronicle.correlation_id`). Fixed rather than read from OTEL_PROPAGATORS: the trace context stored
 * in jobs and event metadata must be readable by every pod, whatever its environment.
 */
export const createPropagator = (): TextMapPropagator =>
  new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
