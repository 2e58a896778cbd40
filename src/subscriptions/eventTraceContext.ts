import type { Context } from '@opentelemetry/api';
import type { RecordedEvent } from '../messages/index.js';
import { contextFrom } from '../tracing/index.js';

/** The trace context stored with an event, so its consumers' spans join the trace that appended it. */
export const eventTraceContext = (event: Pick<RecordedEvent, 'metadata'>): Context =>
  contextFrom(event.metadata);
