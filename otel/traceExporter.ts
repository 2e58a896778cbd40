import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

export const otlpTraceProtocols = ['http/protobuf', 'http/json'] as const;
export type OtlpTraceProtocol = (typeof otlpTraceProtocols)[number];

const nonBlank = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

const isOtlpTraceProtocol = (value: string): value is OtlpTraceProtocol =>
  (otlpTraceProtocols as readonly string[]).includes(value);

/**
 * The OTLP/HTTP trace exporter the environment asks for, or `undefined` when there is nowhere to
 * export to: neither OTEL_EXPORTER_OTLP_TRACES_ENDPOINT nor OTEL_EXPORTER_OTLP_ENDPOINT is set, or
 * OTEL_TRACES_EXPORTER is `none`. The exporter itself reads the endpoint, headers, timeout and
 * compression from the same standard variables. Protocol: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else
 * OTEL_EXPORTER_OTLP_PROTOCOL, else `http/protobuf`; `grpc` is not supported and fails start-up.
 */
export const createTraceExporterFromEnv = (): SpanExporter | undefined => {
  const env = process.env;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim());
  if (exporters.includes('none')) return undefined;
  const endpoint =
    nonBlank(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? nonBlank(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (endpoint === undefined) return undefined;
  const protocol =
    nonBlank(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ??
    nonBlank(env.OTEL_EXPORTER_OTLP_PROTOCOL) ??
    'http/protobuf';
  if (!isOtlpTraceProtocol(protocol)) {
    throw new Error(
      `Unsupported OTLP traces protocol "${protocol}": use one of ${otlpTraceProtocols.join(', ')}`,
    );
  }
  switch (protocol) {
    case 'http/protobuf':
      return new OtlpProtobufTraceExporter();
    case 'http/json':
      return new OtlpJsonTraceExporter();
    default: {
      const unreachable: never = protocol;
      throw new Error(`Unsupported OTLP traces protocol ${String(unreachable)}`);
    }
  }
};
