import { diag } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';

/** Renders the current metrics in the Prometheus text exposition format. */
export type PrometheusText = () => Promise<string>;

export type PrometheusMetrics = {
  /** The metric reader to give the MeterProvider (cumulative temporality, as Prometheus wants). */
  readonly reader: PrometheusExporter;
  /** What the pod server's /metrics serves. */
  readonly metricsHandler: PrometheusText;
};

/**
 * A Prometheus pull reader whose text is served by the pod's own HTTP server: the exporter's own
 * server is never started.
 */
export const createPrometheusMetrics = (): PrometheusMetrics => {
  const reader = new PrometheusExporter({ preventServerStart: true });
  const serializer = new PrometheusSerializer();
  const metricsHandler: PrometheusText = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) diag.error('Prometheus metrics collection errors', ...errors);
    return serializer.serialize(resourceMetrics);
  };
  return { reader, metricsHandler };
};
