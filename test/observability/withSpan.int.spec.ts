import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import { attr, withSpan } from '../../src/tracing/index.js';

let telemetry: TestTelemetry;

beforeAll(() => {
  telemetry = startTestTelemetry();
});
beforeEach(() => telemetry.reset());
afterAll(() => telemetry.shutdown());

describe('withSpan with the in-memory exporter', () => {
  it('nests a span started inside another under it, in the same trace', async () => {
    const result = await withSpan(
      'consumer',
      'command process',
      { attributes: { [attr.commandId]: 'cmd-1' } },
      async () => withSpan('internal', 'aggregate append', {}, async () => 42),
    );

    expect(result).toBe(42);
    const [inner, outer] = telemetry.spans();
    expect(inner?.name).toBe('aggregate append');
    expect(outer?.name).toBe('command process');
    expect(outer?.kind).toBe(SpanKind.CONSUMER);
    expect(outer?.attributes[attr.commandId]).toBe('cmd-1');
    expect(outer?.parentSpanContext).toBeUndefined();
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(inner?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records the exception and the error status when fn throws, ends the span and rethrows', async () => {
    const failure = new Error('database down');
    await expect(
      withSpan('internal', 'hydrate', {}, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);

    const [span] = telemetry.spans();
    expect(span?.name).toBe('hydrate');
    expect(span?.ended).toBe(true);
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database down' });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
    expect(span?.events[0]?.attributes?.['exception.message']).toBe('database down');
  });

  it('continues a trace from a W3C traceparent (the context carried in jobs and event metadata)', async () => {
    const parent = propagation.extract(ROOT_CONTEXT, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await withSpan('consumer', 'projection handle', { parent }, () => undefined);

    const [span] = telemetry.spans();
    expect(span?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span?.parentSpanContext?.isRemote).toBe(true);
  });

  it('injects the active span as a traceparent', async () => {
    const carrier: Record<string, string> = {};
    const spanId = await withSpan('producer', 'command send', {}, (span) => {
      propagation.inject(context.active(), carrier);
      return span.spanContext().spanId;
    });
    expect(carrier.traceparent).toMatch(new RegExp(`^00-[0-9a-f]{32}-${spanId}-01$`));
  });
});
