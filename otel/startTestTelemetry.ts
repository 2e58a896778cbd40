import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { createPrometheusMetrics, type PrometheusText } from './prometheusMetrics.js';
import { createPropagator } from './propagator.js';

export type TestTelemetry = {
  readonly exporter: InMemorySpanExporter;
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** Forgets the finished spans. */
  reset(): void;
  /** Prometheus text of the metrics recorded since start. */
  readonly metricsHandler: PrometheusText;
  /** Stops the providers and unregisters every global, so another test can start afresh. */
  shutdown(): Promise<void>;
};

/**
 * Registers, globally, a tracer provider that keeps every span in memory (always sampled, exported
 * synchronously as each span ends), the AsyncLocalStorage context manager, the W3C propagators and a
 * meter provider read by Prometheus. For tests; call `shutdown()` in `afterAll`/`afterEach`.
 *
 * @example
 * const telemetry = startTestTelemetry();
 * await withSpan('internal', 'outer', {}, () => withSpan('internal', 'inner', {}, () => 1));
 * expect(telemetry.spans().map((s) => s.name)).toEqual(['inner', 'outer']);
 */
export const startTestTelemetry = (options: { readonly serviceName?: string } = {}): TestTelemetry => {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? 'chronicle-test' });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    resource,
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const prometheus = createPrometheusMetrics();
  const meterProvider = new MeterProvider({ resource, readers: [prometheus.reader] });
  const registered = [
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()),
    propagation.setGlobalPropagator(createPropagator()),
    trace.setGlobalTracerProvider(tracerProvider),
    metrics.setGlobalMeterProvider(meterProvider),
  ];
  if (registered.includes(false)) {
    throw new Error('OpenTelemetry globals are already registered: shut the previous telemetry down first');
  }
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    metricsHandler: prometheus.metricsHandler,
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
};
