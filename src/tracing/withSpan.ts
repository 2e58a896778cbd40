import {
  type Attributes,
  context,
  type Link,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { TRACER_NAME } from './attributes.js';

export type SpanKindName = 'internal' | 'producer' | 'consumer' | 'client' | 'server';

const kinds: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
};

export type SpanOptions = {
  readonly attributes?: Attributes;
  readonly links?: Link[];
  /** Parent context; default: the active one. */
  readonly parent?: ReturnType<typeof context.active>;
  /**
   * Attributes and links worth computing only for a span that is recorded (a batch's link to each
   * event, the attributes its events share): added right after the start, skipped when no SDK
   * records (their cost was 7% of a projection's catch-up, spans or not).
   */
  readonly whenRecorded?: () => { readonly attributes?: Attributes; readonly links?: Link[] };
};

/**
 * Runs `fn` inside a new active span; records an exception and sets the error status when `fn`
 * throws, and always ends the span. The one way Chronicle's code makes spans.
 */
export const withSpan = async <T>(
  kind: SpanKindName,
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> => {
  const tracer = trace.getTracer(TRACER_NAME);
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(
    name,
    {
      kind: kinds[kind],
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
    },
    parent,
    async (span) => {
      try {
        if (options.whenRecorded && span.isRecording()) {
          const { attributes, links } = options.whenRecorded();
          if (attributes) span.setAttributes(attributes);
          if (links) span.addLinks(links);
        }
        return await fn(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
};
