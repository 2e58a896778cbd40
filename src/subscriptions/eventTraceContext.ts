import { type Context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { RecordedEvent } from '../messages/index.js';

/** The trace context stored with an event, so its consumers' spans join the trace that appended it. */
export const eventTraceContext = (event: Pick<RecordedEvent, 'metadata'>): Context => {
  const { traceparent, tracestate } = event.metadata;
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent, ...(tracestate ? { tracestate } : {}) });
};
