import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { getBooleanFromEnv } from '@opentelemetry/core';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { createPrometheusMetrics, type PrometheusText } from './prometheusMetrics.js';
import { createPropagator } from './propagator.js';
import { resourceDetectors } from './resourceDetectors.js';
import { type ChronicleServiceName, resolveServiceName } from './serviceName.js';
import { createTraceExporterFromEnv } from './traceExporter.js';

export type TelemetryOptions = {
  /** The pod kind; OTEL_SERVICE_NAME overrides it. */
  readonly serviceName: ChronicleServiceName;
};

export type Telemetry = {
  /** The `service.name` in use (after OTEL_SERVICE_NAME). */
  readonly serviceName: string;
  /** Whether spans leave the process (an OTLP endpoint is configured). */
  readonly exportingTraces: boolean;
  /** Prometheus text of the process's metrics: give it to `startPodServer({ metricsHandler })`. */
  readonly metricsHandler: PrometheusText;
  /** Flushes pending spans and stops the providers. Idempotent; call it last on SIGTERM/SIGINT. */
  shutdown(): Promise<void>;
};

let started = false;

/**
 * Starts the OpenTelemetry SDK for a worker process; call it first, before anything makes spans or
 * metrics. Registers globally: a tracer provider (sampler from OTEL_TRACES_SAMPLER /
 * OTEL_TRACES_SAMPLER_ARG), the AsyncLocalStorage context manager, W3C trace-context + baggage
 * propagators and a meter provider read by Prometheus. Spans go to OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set; otherwise nothing is exported but spans (and so trace
 * ids in logs) still exist. No auto-instrumentation.
 *
 * @example
 * const telemetry = startTelemetry({ serviceName: 'chronicle-command-worker' });
 * const pod = await startPodServer({ checks, metricsHandler: telemetry.metricsHandler });
 * // on SIGTERM: stop work, then `await pod.close(); await telemetry.shutdown();`
 */
export const startTelemetry = (options: TelemetryOptions): Telemetry => {
  if (started) throw new Error('startTelemetry() was already called in this process');
  started = true;
  const serviceName = resolveServiceName(options.serviceName);
  const traceExporter = createTraceExporterFromEnv();
  const prometheus = createPrometheusMetrics();
  const detectors = resourceDetectors();
  const configuration: Partial<NodeSDKConfiguration> = {
    serviceName,
    ...(detectors ? { resourceDetectors: detectors } : {}),
    contextManager: new AsyncLocalStorageContextManager(),
    textMapPropagator: createPropagator(),
    metricReaders: [prometheus.reader],
    // Logs go to stdout through pino; no OTel log pipeline (else the SDK would default to OTLP logs).
    logRecordProcessors: [],
    instrumentations: [],
    // With an exporter the SDK wraps it in a BatchSpanProcessor configured by OTEL_BSP_*. Without one,
    // a no-op processor still makes the SDK register its tracer provider, so spans have real ids.
    ...(traceExporter ? { traceExporter } : { spanProcessors: [new NoopSpanProcessor()] }),
  };
  const sdk = new NodeSDK(configuration);
  sdk.start();
  // OTEL_SDK_DISABLED=true: the SDK registers nothing, so there is nothing to export or scrape.
  const disabled = getBooleanFromEnv('OTEL_SDK_DISABLED');
  let stopping: Promise<void> | undefined;
  return {
    serviceName,
    exportingTraces: !disabled && traceExporter !== undefined,
    metricsHandler: disabled ? async () => '' : prometheus.metricsHandler,
    shutdown: () => {
      stopping ??= sdk.shutdown();
      return stopping;
    },
  };
};
