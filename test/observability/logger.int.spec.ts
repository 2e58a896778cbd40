import { Writable } from 'node:stream';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import { createLogger, getCorrelationId, withCorrelationBaggage } from '../../src/logging/index.js';
import { withSpan } from '../../src/tracing/index.js';

let telemetry: TestTelemetry;

beforeAll(() => {
  telemetry = startTestTelemetry();
});
afterAll(() => telemetry.shutdown());

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger('logger-spec', { destination, level: 'debug' }) };
};

describe('logger lines carry trace and correlation ids', () => {
  it('adds trace_id and span_id of the active span and correlation_id from the baggage', async () => {
    const { lines, log } = capture();
    const ids = await withCorrelationBaggage('corr-42', () =>
      withSpan('consumer', 'command process', {}, async (span) => {
        log.info('processing');
        return span.spanContext();
      }),
    );

    expect(lines[0]).toMatchObject({
      msg: 'processing',
      trace_id: ids.traceId,
      span_id: ids.spanId,
      correlation_id: 'corr-42',
    });
  });

  it('follows the innermost span and keeps the correlation id across awaits', async () => {
    const { lines, log } = capture();
    const inner = await withCorrelationBaggage('corr-7', () =>
      withSpan('consumer', 'outer', {}, () =>
        withSpan('internal', 'inner', {}, async (span) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          log.debug('after await');
          return span.spanContext();
        }),
      ),
    );
    expect(lines[0]).toMatchObject({
      span_id: inner.spanId,
      trace_id: inner.traceId,
      correlation_id: 'corr-7',
    });
  });

  it('logs no ids outside a span and no correlation id outside the baggage scope', async () => {
    const { lines, log } = capture();
    log.info('outside');
    await withSpan('internal', 'no baggage', {}, () => log.info('span only'));
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toHaveProperty('trace_id');
    expect(lines[1]).not.toHaveProperty('correlation_id');
  });

  it('carries the correlation id inside a consumer span whose parent came from a carrier', async () => {
    const { lines, log } = capture();
    const parent = propagation.extract(ROOT_CONTEXT, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await withSpan('consumer', 'command process', { parent }, () =>
      withCorrelationBaggage('corr-from-job', async () => log.info('handling')),
    );
    expect(lines[0]).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      correlation_id: 'corr-from-job',
    });
  });

  it('puts the correlation id in the W3C baggage header, keeping other entries, replacing an older id', () => {
    const carrier: Record<string, string> = {};
    const withOther = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ tenant: { value: 'acme' }, 'chronicle.correlation_id': { value: 'old' } }),
    );
    context.with(withOther, () =>
      withCorrelationBaggage('corr-9', () => {
        expect(getCorrelationId()).toBe('corr-9');
        propagation.inject(context.active(), carrier);
      }),
    );
    expect(carrier.baggage?.split(',').sort()).toEqual(['chronicle.correlation_id=corr-9', 'tenant=acme']);
    const extracted = propagation.extract(context.active(), carrier);
    expect(getCorrelationId(extracted)).toBe('corr-9');
  });
});
