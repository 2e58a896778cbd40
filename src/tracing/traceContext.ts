import { type Context, context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

/** W3C trace context as Chronicle stores it in command envelopes and event metadata. */
export type StoredTraceContext = { readonly traceparent?: string; readonly tracestate?: string };

/** The active context as W3C fields, only those present (nothing when no span is active). */
export const currentTraceContext = (): StoredTraceContext => {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
};

/** The context a stored trace context continues; a fresh root when none was stored. */
export const contextFrom = ({ traceparent, tracestate }: StoredTraceContext): Context =>
  traceparent
    ? propagation.extract(ROOT_CONTEXT, { traceparent, ...(tracestate ? { tracestate } : {}) })
    : ROOT_CONTEXT;
